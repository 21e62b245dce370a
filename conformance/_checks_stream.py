"""``stream_format``: the check that reads every event of a stream (``example_shape`` is in ``_checks_spec``)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from ._checks_base import CHECKS, CheckContext, is_success
from ._checks_spec import schema_failures
from ._results import Failure

DONE = "[DONE]"


def event_schema_pointer(ctx: CheckContext) -> str | None:
    """The schema each streamed event follows: the document's ``text/event-stream`` schema
    when it gives one (chat chunks, Responses events), else the 200 body (1.x completions),
    or its ``data`` items for lists."""
    response = ctx.operation.responses.get("200")
    content = response.content if response else {}
    stream = content.get("text/event-stream")
    if stream is not None and stream.schema is not None:
        return stream.pointer
    media = next((m for ct, m in content.items() if "json" in ct), None)
    if media is None or media.schema is None:
        return None
    schema = ctx.spec.resolve(media.schema)
    data = (schema.get("properties") or {}).get("data") if isinstance(schema, dict) else None
    if isinstance(data, dict) and ctx.case.query.get("stream") is not None:
        return f"{_component_pointer(ctx, media.schema) or media.pointer}/properties/data/items"
    return media.pointer


def ends_with_done(ctx: CheckContext) -> bool:
    """Whether the API ends this stream with ``data: [DONE]``: chunk streams (chat,
    completions: objects with an ``object`` name) do; streams of typed events (the
    Responses API, images) end with their terminal event, as the document's examples
    and the official SDK (which stops at [DONE] only if one comes) show."""
    response = ctx.operation.responses.get("200")
    stream = (response.content if response else {}).get("text/event-stream")
    if stream is None or stream.schema is None:
        return True
    schema = ctx.spec.resolve(stream.schema)
    return isinstance(schema, dict) and "object" in (schema.get("properties") or {})


def _component_pointer(ctx: CheckContext, schema: Any) -> str | None:
    ref = schema.get("$ref") if isinstance(schema, dict) else None
    return ref[1:] if isinstance(ref, str) and ref.startswith("#") else None


@CHECKS.register(
    "stream_format",
    "stream=true answers text/event-stream of `data: <json>` events, each valid against the document's "
    "stream-event schema, ended by `data: [DONE]` where the API sends it (chat, completions).",
    source="convention",
    applies=lambda ctx: ctx.case.streams and is_success(ctx),
)
def stream_format_conformance(ctx: CheckContext) -> Iterator[Failure]:
    response = ctx.response
    events = response.events or []
    transcript = [f"data: {e}" for e in events[:50]]
    if response.content_type != "text/event-stream":
        yield Failure("Stream is not text/event-stream", "text/event-stream", response.content_type or "none", transcript=transcript)
        return
    if response.stream_error:
        yield Failure(f"Stream did not end: {response.stream_error}", "data: [DONE] within the timeout", response.stream_error, transcript=transcript)
    done_expected = ends_with_done(ctx)
    if DONE not in events:
        if not response.stream_error and done_expected:
            yield Failure("Stream ended without data: [DONE]", "data: [DONE] as the last event", f"last event: {events[-1][:80] if events else 'none'}", transcript=transcript)
    elif events.index(DONE) != len(events) - 1:
        yield Failure("Events after data: [DONE]", "nothing after [DONE]", f"{len(events) - events.index(DONE) - 1} more events", transcript=transcript)
    pointer = event_schema_pointer(ctx)
    for i, payload in enumerate(e for e in events if e != DONE):
        try:
            event = json.loads(payload)
        except ValueError:
            yield Failure(f"Event {i} is not JSON", "data: <json>", payload[:120], pointer=f"/events/{i}", transcript=transcript)
            return
        if pointer is not None:
            for failure in schema_failures(ctx.spec, pointer, event, where=f"event {i}: "):
                failure.pointer = f"/events/{i}{failure.pointer}"
                failure.transcript = transcript
                yield failure
                return
