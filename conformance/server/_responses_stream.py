"""A Responses API stream as OpenAI sends it: named SSE events (``event: <type>``),
each with an increasing ``sequence_number``, ended by the terminal event, no [DONE]."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from starlette.responses import StreamingResponse

from ._text import tokens as split_tokens

TERMINAL = {"completed": "response.completed", "incomplete": "response.incomplete", "failed": "response.failed"}


def stream(response: dict[str, Any], faults: frozenset[str]) -> StreamingResponse:
    """``response`` (finished) as its event stream."""
    return named_events(_numbered(response, faults))


def named_events(typed: Iterator[dict[str, Any]]) -> StreamingResponse:
    """Events as ``event: <type>`` / ``data: <json>`` frames (Responses, image streams)."""
    return StreamingResponse(_frames(typed), media_type="text/event-stream", headers={"Cache-Control": "no-cache"})


def _frames(typed: Iterator[dict[str, Any]]) -> Iterator[bytes]:
    for event in typed:
        data = json.dumps(event, separators=(",", ":"), ensure_ascii=False)
        yield f"event: {event['type']}\ndata: {data}\n\n".encode()


def _numbered(response: dict[str, Any], faults: frozenset[str]) -> Iterator[dict[str, Any]]:
    for number, event in enumerate(events(response, faults)):
        if "responses_stream_sequence_gap" in faults and number == 2:
            number = 1  # the third event repeats the second's number
        yield {"type": event.pop("type"), "sequence_number": number, **event}


def events(response: dict[str, Any], faults: frozenset[str]) -> Iterator[dict[str, Any]]:
    """created, in_progress, each output item's events, then the terminal event."""
    start = {
        **response,
        "status": "in_progress",
        "output": [],
        "output_text": "",
        "incomplete_details": None,
        "completed_at": None,
    }
    start.pop("usage", None)
    yield {"type": "response.created", "response": start}
    yield {"type": "response.in_progress", "response": start}
    for index, item in enumerate(response["output"]):
        if item["type"] == "function_call":
            yield from _function_call(index, item)
        else:
            yield from _message(index, item)
    if "responses_stream_no_completed" not in faults:
        yield {"type": TERMINAL.get(response["status"], "response.completed"), "response": response}


def _message(index: int, item: dict[str, Any]) -> Iterator[dict[str, Any]]:
    where = {"item_id": item["id"], "output_index": index}
    yield {
        "type": "response.output_item.added",
        "output_index": index,
        "item": {**item, "status": "in_progress", "content": []},
    }
    for part_index, part in enumerate(item["content"]):
        at = {**where, "content_index": part_index}
        yield {"type": "response.content_part.added", **at, "part": {**part, "text": ""}}
        for piece in split_tokens(part["text"]):
            yield {"type": "response.output_text.delta", **at, "delta": piece, "logprobs": []}
        yield {"type": "response.output_text.done", **at, "text": part["text"], "logprobs": []}
        yield {"type": "response.content_part.done", **at, "part": part}
    yield {"type": "response.output_item.done", "output_index": index, "item": item}


def _function_call(index: int, item: dict[str, Any]) -> Iterator[dict[str, Any]]:
    where = {"item_id": item["id"], "output_index": index}
    yield {
        "type": "response.output_item.added",
        "output_index": index,
        "item": {**item, "status": "in_progress", "arguments": ""},
    }
    for piece in split_tokens(item["arguments"]):
        yield {"type": "response.function_call_arguments.delta", **where, "delta": piece}
    yield {
        "type": "response.function_call_arguments.done",
        **where,
        "name": item["name"],
        "arguments": item["arguments"],
    }
    yield {"type": "response.output_item.done", "output_index": index, "item": item}
