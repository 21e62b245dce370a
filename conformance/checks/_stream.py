"""``stream_format``: the check that reads every event of a stream (``example_shape`` is in ``_spec``).

Each event is validated against the schema ``stream_contract`` reads from the document for the
operation, and the stream must end with the terminator the document says that API sends.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..results._tally import Failure
from ._base import CheckContext, check, is_success
from ._spec import schema_failures
from ._sse import SSEEvent
from ._stream_contract import DONE, StreamContract, stream_contract

if TYPE_CHECKING:
    from ._base import Response

_MAX_EVENT_FAILURES = 3


@check(
    "stream_format",
    "stream=true answers text/event-stream whose events each validate against the document's "
    "stream-event schema, ended by the terminator the API sends (data: [DONE] where documented).",
    source="convention",
    applies=lambda ctx: ctx.case.streams and is_success(ctx),
)
def stream_format_conformance(ctx: CheckContext) -> Iterator[Failure]:
    response = ctx.response
    events = named_events(response)
    transcript = _transcript(events)
    if response.content_type != "text/event-stream":
        yield Failure(
            "Stream is not text/event-stream",
            "text/event-stream",
            response.content_type or "none",
            transcript=transcript,
        )
        return
    contract = stream_contract(ctx.spec, ctx.operation)
    if response.stream_error:
        yield Failure(
            f"Stream did not end: {response.stream_error}",
            "the whole stream within the timeout",
            response.stream_error,
            transcript=transcript,
        )
    elif response.stream_incomplete:
        yield Failure(
            "Stream ended inside an event",
            "every event ended by a blank line",
            "data after the last blank line (clients drop it)",
            transcript=transcript,
        )
    yield from _terminator_failures(contract, events, transcript, cut=bool(response.stream_error))
    failing = 0
    for i, event in enumerate(e for e in events if e.data != DONE):
        for failure in _event_failures(ctx, contract, event, i):
            failure.transcript = transcript
            yield failure
            failing += 1
            break  # the most telling error of an event is enough
        if failing >= _MAX_EVENT_FAILURES:
            return


def named_events(response: Response) -> list[SSEEvent]:
    """The stream's events with their names; data-only when only payloads were kept (proxy, schemathesis)."""
    if response.sse is not None:
        return response.sse
    return [SSEEvent("message", data) for data in response.events or []]


def _terminator_failures(
    contract: StreamContract, events: list[SSEEvent], transcript: list[str], *, cut: bool
) -> Iterator[Failure]:
    datas = [e.data for e in events]
    if DONE in datas and datas.index(DONE) != len(datas) - 1:
        extra = len(datas) - datas.index(DONE) - 1
        yield Failure(
            "Events after data: [DONE]",
            "nothing after [DONE] (clients stop reading there)",
            f"{extra} more events",
            transcript=transcript,
        )
    elif contract.terminator is not None and contract.terminator not in datas and not cut:
        last = datas[-1][:80] if datas else "none"
        yield Failure(
            f"Stream ended without data: {contract.terminator}",
            f"data: {contract.terminator} as the last event",
            f"last event: {last}",
            transcript=transcript,
        )


def _event_failures(ctx: CheckContext, contract: StreamContract, event: SSEEvent, i: int) -> Iterator[Failure]:
    """Why one event's data is not the event the document describes (the first reason)."""
    if not contract.from_event_stream and event.event != "message":
        return  # a JSON body's schema describes data-only events, not named ones (thread.run.*)
    try:
        value = json.loads(event.data)
    except (ValueError, RecursionError):
        yield Failure(f"Event {i} is not JSON", "data: <json>", event.data[:120], pointer=f"/events/{i}")
        return
    pointer, key = contract.event_schema, contract.discriminator
    if key is not None and isinstance(value, dict):
        kind = value.get(key)
        if event.event != "message" and isinstance(kind, str) and event.event != kind:
            yield Failure(
                f"Event {i} is named {event.event!r} but its {key} is {kind!r}",
                f"event: {kind}",
                f"event: {event.event}",
                pointer=f"/events/{i}/{key}",
            )
            return
        branch = contract.branches.get(kind) if isinstance(kind, str) else None
        if branch is None:
            known = ", ".join(sorted(contract.branches)[:6])
            yield Failure(
                f"Event {i} has an undocumented {key} {str(kind)[:60]!r}",
                f"one of {known}, ...",
                repr(kind)[:80],
                pointer=f"/events/{i}/{key}",
            )
            return
        pointer = branch
    if pointer is None:
        return
    for failure in schema_failures(ctx.spec, pointer, value, where=f"event {i}: "):
        failure.pointer = f"/events/{i}{failure.pointer}"
        yield failure


def _transcript(events: list[SSEEvent]) -> list[str]:
    return [(f"event: {e.event}\n" if e.event != "message" else "") + f"data: {e.data}" for e in events[:50]]


# The catalogue takes these in one call (checks.py), in this order.
CHECKS_HERE = (stream_format_conformance,)
