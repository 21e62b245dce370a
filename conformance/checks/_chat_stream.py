"""Chat streams, the answered model, and base64 embeddings.

Rules from the 2.3.0 document (``CreateChatCompletionStreamResponse``: one id and
``created`` per stream, ``stream_options.include_usage``: "an additional chunk ...
with an empty choices array" carrying the usage; ``encoding_format: base64``) and
the official SDK (which decodes base64 vectors as little-endian float32).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..results._tally import Failure
from ._base import CheckContext, base64_bytes, body_of, check, is_success
from ._chat_reading import chunks, is_chat

_SNAPSHOT = re.compile(r"-(\d{4}-\d{2}-\d{2}|\d{4})$")


def _streamed_chat(ctx: CheckContext) -> bool:
    return is_chat(ctx) and ctx.case.streams and is_success(ctx) and bool(chunks(ctx))


@check(
    "chat_stream_consistent",
    "The chunks of one chat stream share id and created, the first delta of each choice names the role, "
    "and each choice ends with exactly one finish_reason.",
    source="semantics",
    applies=_streamed_chat,
)
def chat_stream_consistent(ctx: CheckContext) -> Iterator[Failure]:
    parts = chunks(ctx)
    ids, created = {c.get("id") for c in parts}, {c.get("created") for c in parts}
    if len(ids) > 1 or len(created) > 1:
        yield Failure(
            "Chunks of one stream differ in id or created",
            "one id and one created",
            f"{len(ids)} ids, {len(created)} created values",
        )
    first_delta: dict[int, Any] = {}
    finished: dict[int, int] = {}
    for part in parts:
        for piece in part.get("choices") or []:
            if not isinstance(piece, dict) or not isinstance(piece.get("index"), int):
                continue
            first_delta.setdefault(piece["index"], piece.get("delta"))
            finished[piece["index"]] = finished.get(piece["index"], 0) + (piece.get("finish_reason") is not None)
    for index, delta in sorted(first_delta.items()):
        if not (isinstance(delta, dict) and delta.get("role")):
            yield Failure(
                "The first delta has no role",
                "role in the first delta of each choice",
                repr(delta)[:80],
                pointer=f"/choices/{index}/delta",
            )
    for index, count in sorted(finished.items()):
        if count != 1:
            yield Failure(
                f"{count} finish_reasons for one choice",
                "exactly one finish_reason per choice",
                f"{count}",
                pointer=f"/choices/{index}/finish_reason",
            )


@check(
    "stream_usage",
    "With stream_options.include_usage a chat stream ends with one chunk of empty choices and a usage; "
    "without it no chunk carries usage.",
    source="semantics",
    applies=_streamed_chat,
)
def stream_usage(ctx: CheckContext) -> Iterator[Failure]:
    options = body_of(ctx).get("stream_options")
    asked = isinstance(options, dict) and options.get("include_usage") is True
    parts = chunks(ctx)
    carrying = [c for c in parts if isinstance(c.get("usage"), dict)]
    if not asked:
        if carrying:
            yield Failure(
                "Usage in a stream that did not ask for it", "no usage chunk", f"{len(carrying)} chunks with usage"
            )
        return
    if len(carrying) != 1:
        yield Failure("include_usage: not one usage chunk", "exactly one chunk with usage", f"{len(carrying)}")
        return
    last = parts[-1]
    if last is not carrying[0] or last.get("choices"):
        yield Failure(
            "The usage chunk is not the last, with empty choices",
            "last chunk: choices [] and usage",
            f"choices {str(last.get('choices'))[:60]}",
        )


def _asked_model(ctx: CheckContext) -> str | None:
    model = body_of(ctx).get("model")
    return model if isinstance(model, str) else None


def same_model(asked: str, answered: Any) -> bool:
    """The model asked, or a dated snapshot of it (gpt-4o -> gpt-4o-2024-08-06)."""
    if not isinstance(answered, str):
        return False
    return (
        answered == asked
        or (answered.startswith(asked + "-") and bool(_SNAPSHOT.search(answered)))
        or _SNAPSHOT.sub("", asked) == _SNAPSHOT.sub("", answered)
    )


@check(
    "model_echoed",
    "The model a chat, completion or embeddings answer names is the one asked, or a dated snapshot of it.",
    source="semantics",
    applies=lambda ctx: (
        is_success(ctx)
        and _asked_model(ctx) is not None
        and not ctx.case.streams
        and ctx.operation.method == "POST"
        and ctx.operation.path.endswith(("/chat/completions", "/completions", "/embeddings"))
        and isinstance(ctx.response.json, dict)
        and "model" in ctx.response.json
    ),
)
def model_echoed(ctx: CheckContext) -> Iterator[Failure]:
    asked, answered = _asked_model(ctx) or "", (ctx.response.json or {}).get("model")
    if not same_model(asked, answered):
        yield Failure(
            "The answer names another model",
            "the model asked or a dated snapshot of it",
            f"asked {asked!r}, answered {str(answered)[:60]!r}",
            pointer="/model",
        )


@check(
    "embedding_base64",
    "encoding_format base64 answers each vector as base64 of little-endian float32s, of the asked dimensions.",
    source="semantics",
    applies=lambda ctx: (
        is_success(ctx)
        and ctx.operation.path.endswith("/embeddings")
        and body_of(ctx).get("encoding_format") == "base64"
        and isinstance(ctx.response.json, dict)
    ),
)
def embedding_base64(ctx: CheckContext) -> Iterator[Failure]:
    dimensions = body_of(ctx).get("dimensions")
    lengths = set()
    for i, item in enumerate(ctx.response.json.get("data") or []):
        vector = item.get("embedding") if isinstance(item, dict) else None
        where = f"/data/{i}/embedding"
        raw = base64_bytes(vector)
        if raw is None or len(raw) % 4:
            yield Failure(
                "The vector is not base64 of float32s",
                "base64 of 4-byte little-endian floats",
                repr(vector)[:60],
                pointer=where,
            )
            continue
        lengths.add(len(raw) // 4)
        if isinstance(dimensions, int) and len(raw) // 4 != dimensions:
            yield Failure(
                f"{len(raw) // 4} floats for dimensions={dimensions}",
                f"{dimensions} floats",
                f"{len(raw) // 4}",
                pointer=where,
            )
    if len(lengths) > 1:
        yield Failure(
            "Vectors of one answer differ in length",
            "one dimension for every input",
            f"lengths {sorted(lengths)}",
            pointer="/data",
        )


# The catalogue takes these in one call (checks.py), in this order.
CHECKS_HERE = (chat_stream_consistent, stream_usage, model_echoed, embedding_base64)
