"""A third-party Responses API, written from the API reference and not from the reference server.

Stateful in a dict, one word per token, SSE with named events and no ``[DONE]``
(as the real API streams). ``responses_routes(state)`` is the list of Starlette
routes to mount under ``/v1``; ``responses_app(bugs=...)`` a tiny app of its own.
Each bug of ``BUGS`` breaks one rule, for the check named beside it.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

API_KEY = "thirdparty-key-b2"
BUGS = {
    "text_mismatch": "response_output_consistent",  # output_text is not the message's text
    "bad_tool_arguments": "response_output_consistent",  # arguments lack a required parameter
    "ignore_max_output_tokens": "response_status",  # the whole text, status completed, over budget
    "usage_mismatch": "usage_arithmetic",  # total_tokens one more than input + output
    "stream_sequence_gap": "response_stream_events",  # two events share a sequence_number
    "stream_no_completed": "response_stream_events",  # the stream stops before response.completed
    "stream_delta_mismatch": "response_stream_events",  # output_text.done is not its deltas
    "stream_delta_untyped": "stream_format",  # an output_text.delta lacks its documented item_id
    "delete_noop": "response_roundtrip",  # delete answers deleted, the response stays
}
ANSWER = (
    "The quick brown fox jumps over the lazy dog while the suite listens carefully, "
    "counting every word it hears and every token it is told about, until the story ends here."
)


@dataclass
class ResponsesState:
    bugs: frozenset[str] = frozenset()
    stored: dict[str, dict[str, Any]] = field(default_factory=dict)
    inputs: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    counter: Iterator[int] = field(default_factory=itertools.count)

    def new_id(self, prefix: str) -> str:
        return f"{prefix}_{int(time.time())}{next(self.counter):06d}"


def _error(status: int, message: str, param: str | None = None, kind: str = "invalid_request_error") -> JSONResponse:
    return JSONResponse({"error": {"message": message, "type": kind, "param": param, "code": None}}, status)


def _authorised(request: Request) -> bool:
    return request.headers.get("authorization") == f"Bearer {API_KEY}"


def _words(value: Any) -> list[str]:
    """Every word of the input, however it is given (a string, messages, content parts)."""
    if isinstance(value, str):
        return value.split()
    if isinstance(value, list):
        return [w for v in value for w in _words(v)]
    if isinstance(value, dict):
        return [w for k in ("content", "text", "output", "arguments") for w in _words(value.get(k))]
    return []


def _sample(schema: Any) -> Any:
    """A value of a JSON schema's required shape (for tool arguments and structured output)."""
    if not isinstance(schema, dict):
        return "value"
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    kind = next((k for k in kind if k != "null"), "string") if isinstance(kind, list) else kind
    if kind == "object" or "properties" in schema:
        props = schema.get("properties") or {}
        return {k: _sample(props.get(k)) for k in schema.get("required") or list(props)}
    return {"integer": 1, "number": 1.5, "boolean": True, "array": [], "null": None}.get(kind, "sunny")


def _input_items(body: dict[str, Any], state: ResponsesState) -> list[dict[str, Any]]:
    given = body.get("input")
    if isinstance(given, str):
        given = [{"type": "message", "role": "user", "content": [{"type": "input_text", "text": given}]}]
    items = [i for i in given if isinstance(i, dict)] if isinstance(given, list) else []
    return [{"id": state.new_id("msg"), "type": "message", "status": "completed", "role": "user", **i} for i in items]


def _function_call(body: dict[str, Any], state: ResponsesState) -> dict[str, Any] | None:
    tools = [t for t in body.get("tools") or [] if isinstance(t, dict) and t.get("type") == "function"]
    choice = body.get("tool_choice", "auto")
    if not tools or choice == "none":
        return None
    named = choice.get("name") if isinstance(choice, dict) else None
    tool = next((t for t in tools if t.get("name") == named), tools[0])
    arguments = _sample(tool.get("parameters") or {"type": "object"})
    if "bad_tool_arguments" in state.bugs and isinstance(arguments, dict) and arguments:
        arguments.pop(next(iter(arguments)))
    return {
        "id": state.new_id("fc"),
        "type": "function_call",
        "status": "completed",
        "call_id": state.new_id("call"),
        "name": tool["name"],
        "arguments": json.dumps(arguments),
    }


def _text(body: dict[str, Any]) -> str:
    fmt = (body.get("text") or {}).get("format") if isinstance(body.get("text"), dict) else None
    if isinstance(fmt, dict) and fmt.get("type") == "json_schema":
        return json.dumps(_sample(fmt.get("schema")))
    return ANSWER


def build_response(body: dict[str, Any], state: ResponsesState) -> dict[str, Any]:
    """The whole response object for a create request: output, status, usage."""
    rid = state.new_id("resp")
    call = _function_call(body, state)
    words = _text(body).split(" ") if call is None else []
    limit = body.get("max_output_tokens")
    status, details = "completed", None
    if (
        isinstance(limit, int)
        and len(words) + (1 if call else 0) > limit
        and "ignore_max_output_tokens" not in state.bugs
    ):
        words, status, details = words[:limit], "incomplete", {"reason": "max_output_tokens"}
    output: list[dict[str, Any]] = [call] if call else []
    text = " ".join(words)
    if words:
        output.append(
            {
                "id": state.new_id("msg"),
                "type": "message",
                "status": status,
                "role": "assistant",
                "content": [{"type": "output_text", "text": text, "annotations": [], "logprobs": []}],
            }
        )
    used_in, used_out = max(1, len(_words(body.get("input")))), len(words) + (len(_words(call)) if call else 0)
    usage = {
        "input_tokens": used_in,
        "input_tokens_details": {"cached_tokens": 0, "cache_write_tokens": 0},
        "output_tokens": used_out,
        "output_tokens_details": {"reasoning_tokens": 0},
        "total_tokens": used_in + used_out + ("usage_mismatch" in state.bugs),
    }
    return {
        "id": rid,
        "object": "response",
        "created_at": int(time.time()),
        "status": status,
        "error": None,
        "incomplete_details": details,
        "instructions": body.get("instructions"),
        "max_output_tokens": limit,
        "model": body.get("model") or "thirdparty-small",
        "output": output,
        "output_text": text + (" (edited)" if "text_mismatch" in state.bugs else ""),
        "parallel_tool_calls": body.get("parallel_tool_calls", True),
        "previous_response_id": body.get("previous_response_id"),
        "reasoning": {"effort": None, "summary": None},
        "service_tier": "default",
        "store": body.get("store", True),
        "temperature": body.get("temperature", 1.0),
        "text": body.get("text") or {"format": {"type": "text"}},
        "tool_choice": body.get("tool_choice", "auto"),
        "tools": [_tool_as_stored(t) for t in body.get("tools") or []],
        "top_p": body.get("top_p", 1.0),
        "truncation": body.get("truncation", "disabled"),
        "usage": usage,
        "metadata": body.get("metadata") or {},
        **({"user": body["user"]} if isinstance(body.get("user"), str) else {}),
    }


def _tool_as_stored(tool: Any) -> Any:
    """A function tool as the API answers it: ``strict`` and ``parameters`` always there."""
    if isinstance(tool, dict) and tool.get("type") == "function":
        return {"strict": True, "parameters": None, **tool}
    return tool


def _events(response: dict[str, Any], bugs: frozenset[str]) -> Iterator[dict[str, Any]]:
    """The documented event sequence of one streamed response, without sequence numbers."""
    start = {**response, "status": "in_progress", "output": [], "usage": None, "output_text": ""}
    yield {"type": "response.created", "response": start}
    yield {"type": "response.in_progress", "response": start}
    for index, item in enumerate(response["output"]):
        yield {
            "type": "response.output_item.added",
            "output_index": index,
            "item": {**item, "content": []} if "content" in item else item,
        }
        for part_index, part in enumerate(item.get("content") or []):
            ids = {"item_id": item["id"], "output_index": index, "content_index": part_index}
            yield {"type": "response.content_part.added", **ids, "part": {**part, "text": ""}}
            for i, word in enumerate(part["text"].split(" ")):
                delta = {
                    "type": "response.output_text.delta",
                    **ids,
                    "delta": (" " if i else "") + word,
                    "logprobs": [],
                }
                if "stream_delta_untyped" in bugs:
                    del delta["item_id"]
                yield delta
            done = part["text"] + ("!" if "stream_delta_mismatch" in bugs else "")
            yield {"type": "response.output_text.done", **ids, "text": done, "logprobs": []}
            yield {"type": "response.content_part.done", **ids, "part": part}
        yield {"type": "response.output_item.done", "output_index": index, "item": item}
    if "stream_no_completed" not in bugs:
        yield {
            "type": f"response.{'incomplete' if response['status'] == 'incomplete' else 'completed'}",
            "response": response,
        }


def _sse(response: dict[str, Any], bugs: frozenset[str]) -> Iterator[bytes]:
    for number, event in enumerate(_events(response, bugs)):
        seq = number - 1 if "stream_sequence_gap" in bugs and number == 3 else number
        yield f"event: {event['type']}\ndata: {json.dumps({**event, 'sequence_number': seq})}\n\n".encode()


def responses_routes(state: ResponsesState) -> list[Route]:
    """The Responses API under ``/v1``: create (plain and streamed), retrieve, items, cancel, delete."""

    async def create(request: Request) -> Response:
        try:
            body = await request.json()
        except ValueError:
            return _error(400, "We could not parse the JSON body of your request.")
        if not isinstance(body, dict) or not isinstance(body.get("model"), str):
            return _error(400, "Missing required parameter: 'model'.", "model")
        response = build_response(body, state)
        if body.get("store", True) is not False:
            state.stored[response["id"]] = response
            state.inputs[response["id"]] = _input_items(body, state)
        if body.get("stream") is True:
            return StreamingResponse(_sse(response, state.bugs), media_type="text/event-stream")
        return JSONResponse(response)

    def found(request: Request) -> dict[str, Any] | None:
        return state.stored.get(request.path_params["response_id"])

    def missing(request: Request) -> JSONResponse:
        return _error(404, f"No response found with id '{request.path_params['response_id']}'.", "response_id")

    async def retrieve(request: Request) -> Response:
        response = found(request)
        return JSONResponse(response) if response else missing(request)

    async def delete(request: Request) -> Response:
        rid = request.path_params["response_id"]
        if found(request) is None:
            return missing(request)
        if "delete_noop" not in state.bugs:
            state.stored.pop(rid)
        return JSONResponse({"id": rid, "object": "response.deleted", "deleted": True})

    async def input_items(request: Request) -> Response:
        if found(request) is None:
            return missing(request)
        items = state.inputs.get(request.path_params["response_id"], [])
        return JSONResponse(
            {
                "object": "list",
                "data": items,
                "first_id": items[0]["id"] if items else None,
                "last_id": items[-1]["id"] if items else None,
                "has_more": False,
            }
        )

    async def cancel(request: Request) -> Response:
        response = found(request)
        if response is None:
            return missing(request)
        return _error(400, "Only background responses can be cancelled.", "response_id")

    return [
        Route("/v1/responses", create, methods=["POST"]),
        Route("/v1/responses/{response_id}", retrieve, methods=["GET"]),
        Route("/v1/responses/{response_id}", delete, methods=["DELETE"]),
        Route("/v1/responses/{response_id}/input_items", input_items, methods=["GET"]),
        Route("/v1/responses/{response_id}/cancel", cancel, methods=["POST"]),
    ]


def responses_app(*, bugs: frozenset[str] | set[str] = frozenset()) -> Starlette:
    """A small app of its own: the Responses routes, a model list, and Bearer auth."""
    unknown = set(bugs) - set(BUGS)
    if unknown:
        raise ValueError(f"unknown bugs: {sorted(unknown)}")
    state = ResponsesState(bugs=frozenset(bugs))

    async def models(request: Request) -> Response:
        return JSONResponse(
            {
                "object": "list",
                "data": [
                    {"id": m, "object": "model", "created": 1700000000, "owned_by": "thirdparty"}
                    for m in ("gpt-4.1", "gpt-4o")
                ],
            }
        )

    async def no_route(request: Request, exc: Exception) -> Response:  # the real API's "Invalid URL" 404
        return _error(404, f"Invalid URL ({request.method} {request.url.path})")

    routes = [*responses_routes(state), Route("/v1/models", models, methods=["GET"])]
    return Starlette(routes=routes, middleware=[Middleware(_BearerAuth)], exception_handlers={404: no_route})


class _BearerAuth(BaseHTTPMiddleware):
    """Every request needs the key, as the real API asks (401 in the error envelope)."""

    async def dispatch(self, request: Request, call_next: Any) -> Response:
        if not _authorised(request):
            return _error(401, "Incorrect API key provided.")
        return await call_next(request)
