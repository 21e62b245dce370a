"""Cursor pagination as the 2.x lists answer it: ``after``, ``limit``, ``order``,
``has_more``, ``first_id`` and ``last_id``."""

from __future__ import annotations

from typing import Any

from ._errors import NotFound

DEFAULT_LIMIT = 20


def page(
    items: list[dict[str, Any]],
    query: dict[str, Any],
    *,
    order: str = "desc",
    limit: int = DEFAULT_LIMIT,
    strict_after: bool = False,
) -> dict[str, Any]:
    """One page of ``items`` (oldest first as given) after the ``after`` cursor.

    ``order`` and ``limit`` are the defaults when the query has none (OpenAI lists
    newest first). ``first_id``/``last_id`` are left out of an empty page: the
    caller fills what its schema requires. An unknown ``after`` gives an empty page,
    or a 404 naming ``after`` with ``strict_after``.
    """
    ordered = list(items) if query.get("order", order) == "asc" else list(reversed(items))
    after = query.get("after")
    if after is not None:
        ids = [item.get("id") for item in ordered]
        if after in ids:
            ordered = ordered[ids.index(after) + 1 :]
        elif strict_after:
            raise NotFound(f"No such object: {after}", param="after")
        else:
            ordered = []
    size = query.get("limit")
    size = limit if not isinstance(size, int) or size < 1 else size
    data = ordered[:size]
    out: dict[str, Any] = {"object": "list", "data": data, "has_more": len(ordered) > size}
    if data:
        out["first_id"], out["last_id"] = data[0].get("id"), data[-1].get("id")
    return out
