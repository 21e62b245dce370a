"""``response_stream_events``: the order and the text of a Responses API stream.

From the 2.3.0 document (``ResponseStreamEvent``: every event has ``type`` and
``sequence_number``; ``response.created`` carries the new response; the stream
ends with ``response.completed``, ``response.incomplete`` or ``response.failed``)
and the official SDK's stream accumulator, which joins ``response.output_text.delta``
by item and content index into each ``response.output_text.done``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..results._tally import Failure
from ._base import CheckContext, check, is_success
from ._responses_reading import TERMINAL_EVENTS, event_objects, is_responses_stream, output_text


def _transcript(events: list[dict[str, Any]]) -> list[str]:
    return [f"{e.get('sequence_number')}: {e.get('type')}" for e in events[:50]]


@check(
    "response_stream_events",
    "A Responses stream starts with response.created, has one terminal event (completed, incomplete "
    "or failed) and nothing after it, strictly increasing sequence_number, and deltas that assemble "
    "into each output_text.done and the final response's text.",
    source="semantics",
    applies=lambda ctx: ctx.case.streams and is_success(ctx) and is_responses_stream(ctx.response.events),
)
def response_stream_events_conformance(ctx: CheckContext) -> Iterator[Failure]:
    events = event_objects(ctx.response.events)
    transcript = _transcript(events)
    types = [e.get("type") for e in events]
    if types[0] != "response.created":
        yield Failure(
            "Stream does not start with response.created",
            "response.created",
            str(types[0]),
            pointer="/events/0",
            transcript=transcript,
        )
    terminal = [i for i, t in enumerate(types) if t in TERMINAL_EVENTS]
    if len(terminal) != 1:
        yield Failure(
            f"{len(terminal)} terminal events",
            "exactly one of " + ", ".join(TERMINAL_EVENTS),
            ", ".join(str(types[i]) for i in terminal) or "none",
            pointer="/events",
            transcript=transcript,
        )
    elif terminal[0] != len(types) - 1:
        yield Failure(
            f"Events after {types[terminal[0]]}",
            "nothing after the terminal event",
            f"{len(types) - terminal[0] - 1} more",
            pointer=f"/events/{terminal[0] + 1}",
            transcript=transcript,
        )
    yield from _sequence_failures(events, transcript)
    yield from _text_failures(events, transcript)


def _sequence_failures(events: list[dict[str, Any]], transcript: list[str]) -> Iterator[Failure]:
    previous = None
    for i, event in enumerate(events):
        number = event.get("sequence_number")
        if not isinstance(number, int) or (previous is not None and number <= previous):
            yield Failure(
                f"sequence_number {number!r} after {previous!r}",
                "strictly increasing integers",
                repr(number),
                pointer=f"/events/{i}/sequence_number",
                transcript=transcript,
            )
            return
        previous = number


def _text_failures(events: list[dict[str, Any]], transcript: list[str]) -> Iterator[Failure]:
    deltas: dict[tuple[Any, Any], str] = {}
    done_text = []
    for i, event in enumerate(events):
        key = (event.get("item_id"), event.get("content_index"))
        if event.get("type") == "response.output_text.delta" and isinstance(event.get("delta"), str):
            deltas[key] = deltas.get(key, "") + event["delta"]
        elif event.get("type") == "response.output_text.done" and isinstance(event.get("text"), str):
            done_text.append(event["text"])
            if deltas.get(key, "") != event["text"]:
                yield Failure(
                    "output_text deltas do not assemble into output_text.done",
                    repr(event["text"][:120]),
                    repr(deltas.get(key, "")[:120]),
                    pointer=f"/events/{i}/text",
                    transcript=transcript,
                )
    final = next((e.get("response") for e in events if e.get("type") in TERMINAL_EVENTS), None)
    if isinstance(final, dict) and isinstance(final.get("output"), list) and (deltas or done_text):
        text = output_text(final)
        if text != "".join(deltas.values()):
            yield Failure(
                "Streamed text differs from the final response's text",
                repr("".join(deltas.values())[:120]),
                repr(text[:120]),
                pointer="/events/-1/response/output",
                transcript=transcript,
            )


# The catalogue takes these in one call (checks.py), in this order.
CHECKS_HERE = (response_stream_events_conformance,)
