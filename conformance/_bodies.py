"""Reading a target's answer, which is untrusted data: helpers every part of the package shares."""

from __future__ import annotations

from typing import Any


def objects_in(body: Any, key: str = "data") -> list[dict[str, Any]]:
    """The objects of a list a response holds under ``key``; nothing if it holds something else.

    A target's answer is untrusted data: ``{"data": 5}`` must not crash a run.
    """
    items = body.get(key) if isinstance(body, dict) else None
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []


__all__ = ["objects_in"]
