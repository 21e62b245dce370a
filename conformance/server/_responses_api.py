"""Responses API objects: input items, the generated output (through the chat
generator), usage and status, built from a ``createResponse`` body."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ._chat import choices, text_of
from ._common import now
from ._errors import InvalidRequest
from ._modern import StoredResponse
from ._text import count_tokens


@dataclass(frozen=True)
class Generated:
    """What one ``createResponse`` produced: output items, status, the token counts."""

    output: list[dict[str, Any]]
    status: str
    incomplete_reason: str | None
    input_tokens: int
    output_tokens: int


def input_items(raw: Any, new_id: Any) -> list[dict[str, Any]]:
    """The request's ``input`` as stored input items (each with an id)."""
    if isinstance(raw, str):
        raw = [{"role": "user", "content": raw}]
    items = []
    for item in raw or []:
        item = dict(item) if isinstance(item, dict) else {"content": str(item)}
        kind = item["type"] = item.get("type") or "message"
        if kind == "message":
            content = item.get("content")
            if isinstance(content, str):
                item["content"] = [{"type": "input_text", "text": content}]
            item.setdefault("role", "user")
            item["status"] = item.get("status") or "completed"
            item["id"] = item.get("id") or new_id("msg")
        else:
            item["id"] = item.get("id") or new_id("fc" if "call" in kind else "item")
        items.append(item)
    return items


def as_messages(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Items as chat messages: what the generator (and the token count) reads."""
    out = []
    for item in items:
        if item.get("type") == "message":
            out.append({"role": item.get("role", "user"), "content": text_of(item.get("content"))})
        elif "output" in item or "arguments" in item:
            out.append({"role": "tool", "content": str(item.get("output", item.get("arguments")))})
    return out


def _chat_body(body: dict[str, Any], messages: list[dict[str, Any]], faults: frozenset[str]) -> dict[str, Any]:
    """The createResponse knobs in chat's words, for the shared generator."""
    chat: dict[str, Any] = {"messages": messages or [{"role": "user", "content": ""}]}
    tools = [
        {"type": "function", "function": {"name": t["name"], "parameters": t.get("parameters")}}
        for t in body.get("tools") or []
        if t.get("type") == "function"
    ]
    if tools:
        chat["tools"] = tools
        choice = body.get("tool_choice") or "auto"
        if isinstance(choice, dict) and choice.get("type") == "function":
            choice = {"type": "function", "function": {"name": choice.get("name")}}
        elif isinstance(choice, dict):
            choice = choice.get("mode", "auto")
        chat["tool_choice"] = choice
        chat["parallel_tool_calls"] = _or(body.get("parallel_tool_calls"), True)
    fmt = (body.get("text") or {}).get("format") or {}
    if fmt.get("type") == "json_schema":
        chat["response_format"] = {"type": "json_schema", "json_schema": fmt}
    elif fmt.get("type") == "json_object":
        chat["response_format"] = fmt
    budget = body.get("max_output_tokens")
    if budget is not None and "responses_ignore_max_output_tokens" not in faults:
        chat["max_completion_tokens"] = budget
    return chat


def generate(
    body: dict[str, Any], model: str, history: list[dict[str, Any]], new_id: Any, faults: frozenset[str]
) -> Generated:
    """The output of a response to ``history`` (previous turns and this input)."""
    messages = as_messages(history)
    if body.get("instructions"):
        messages = [{"role": "developer", "content": body["instructions"]}, *messages]
    # The chat faults stay on chat: the Responses surface has faults of its own.
    choice = choices(_chat_body(body, messages, faults), model, frozenset())[0]
    input_tokens = sum(count_tokens(m["content"]) for m in messages)
    if choice.finish_reason == "tool_calls":
        output = [
            {
                "id": new_id("fc"),
                "type": "function_call",
                "status": "completed",
                "call_id": call["id"],
                "name": call["function"]["name"],
                "arguments": call["function"]["arguments"],
            }
            for call in choice.message["tool_calls"]
        ]
        return Generated(output, "completed", None, input_tokens, choice.completion_tokens)
    cut = choice.finish_reason == "length"
    output = [
        {
            "id": new_id("msg"),
            "type": "message",
            "role": "assistant",
            "status": "incomplete" if cut else "completed",
            "content": [{"type": "output_text", "text": choice.message["content"], "annotations": [], "logprobs": []}],
        }
    ]
    return Generated(
        output,
        "incomplete" if cut else "completed",
        "max_output_tokens" if cut else None,
        input_tokens,
        choice.completion_tokens,
    )


def output_text(output: list[dict[str, Any]]) -> str:
    """The SDK's ``output_text``: every output_text part of every message, joined."""
    return "".join(
        part["text"]
        for item in output
        if item.get("type") == "message"
        for part in item["content"]
        if part.get("type") == "output_text"
    )


def response_object(
    body: dict[str, Any], response_id: str, model: str, made: Generated, status: str | None = None
) -> dict[str, Any]:
    """The ``Response`` object (status overridable: background responses start queued)."""
    status = status or made.status
    finished = status in ("completed", "incomplete")
    output = made.output if finished else []
    reason = made.incomplete_reason if status == "incomplete" else None
    answer = {
        "id": response_id,
        "object": "response",
        "created_at": now(),
        "status": status,
        "background": bool(body.get("background")),
        "error": None,
        "incomplete_details": {"reason": reason} if reason else None,
        "instructions": body.get("instructions"),
        "max_output_tokens": body.get("max_output_tokens"),
        "model": model,
        "output": output,
        "output_text": output_text(output),
        "parallel_tool_calls": _or(body.get("parallel_tool_calls"), True),
        "previous_response_id": body.get("previous_response_id"),
        "reasoning": {"effort": None, "summary": None},
        "service_tier": "default",
        "store": _or(body.get("store"), True),
        "temperature": _or(body.get("temperature"), 1.0),
        "text": body.get("text") or {"format": {"type": "text"}},
        "tool_choice": body.get("tool_choice") or "auto",
        "tools": body.get("tools") or [],
        "top_p": _or(body.get("top_p"), 1.0),
        "truncation": body.get("truncation") or "disabled",
        "usage": _usage(made) if finished else None,
        "user": body.get("user"),
        "metadata": body.get("metadata") or {},
        "completed_at": now() if status == "completed" else None,
    }
    # usage and user are absent, not null, until there is one (the schema has no null)
    return {k: v for k, v in answer.items() if v is not None or k not in ("usage", "user")}


def _or(found: Any, default: Any) -> Any:
    """A body field, with ``null`` read as its default (the API treats them alike)."""
    return default if found is None else found


def _usage(made: Generated) -> dict[str, Any]:
    return {
        "input_tokens": made.input_tokens,
        "input_tokens_details": {"cached_tokens": 0, "cache_write_tokens": 0},
        "output_tokens": made.output_tokens,
        "output_tokens_details": {"reasoning_tokens": 0},
        "total_tokens": made.input_tokens + made.output_tokens,
    }


def previous(stored: dict[str, StoredResponse], response_id: Any) -> list[dict[str, Any]]:
    """The conversation a ``previous_response_id`` continues (its input and output)."""
    if response_id is None:
        return []
    found = stored.get(response_id)
    if found is None:
        raise InvalidRequest(f"Previous response with id '{response_id}' not found.", param="previous_response_id")
    return found.history
