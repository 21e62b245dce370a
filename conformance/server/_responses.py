"""Rendering: JSON bodies, error envelopes and server-sent event streams.

Faults that change how any answer looks (its content type, its error
envelope, the end of its stream) apply here, in one place.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterable
from typing import Any

from starlette.responses import Response, StreamingResponse

from ._errors import APIError, error_body

JSON = "application/json"


def _dumps(payload: Any) -> bytes:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def render_json(
    payload: Any, faults: frozenset[str], status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    media_type = "text/plain" if "wrong_content_type" in faults else JSON
    return Response(_dumps(payload), status_code=status, media_type=media_type, headers=headers)


def render_error(error: APIError, faults: frozenset[str]) -> Response:
    """The error as OpenAI answers it; ``bare_errors`` drops the envelope."""
    body = error_body(error)
    if "bare_errors" in faults:
        body = body["error"]
    return render_json(body, faults, error.status, error.headers)


def sse(events: Iterable[Any] | AsyncIterator[Any], faults: frozenset[str]) -> StreamingResponse:
    """A ``text/event-stream`` of ``data: <json>`` events ended by ``data: [DONE]``."""
    return StreamingResponse(
        _frames(events, faults), media_type="text/event-stream", headers={"Cache-Control": "no-cache"}
    )


async def _frames(events: Iterable[Any] | AsyncIterator[Any], faults: frozenset[str]):  # noqa: ANN202
    first = True
    async for event in _aiter(events):
        yield _frame(event, first and "stream_bad_json" in faults)
        first = False
    if "stream_no_done" not in faults:
        yield b"data: [DONE]\n\n"


async def _aiter(events: Iterable[Any] | AsyncIterator[Any]) -> AsyncIterator[Any]:
    if isinstance(events, AsyncIterator):
        async for event in events:
            yield event
    else:
        for event in events:
            yield event


def _frame(event: Any, broken: bool) -> bytes:
    data = _dumps(event)
    if broken:
        data = data[: max(1, len(data) // 2)]  # cut mid-object: not JSON any more
    return b"data: " + data + b"\n\n"
