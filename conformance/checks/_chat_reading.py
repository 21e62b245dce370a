"""Reading a chat completion from what came back: the body, or a stream's chunks assembled.

Chunks are assembled as the official SDK's stream accumulator does: per choice
index, the role from the first delta, content fragments joined, tool-call
fragments joined by their own index, the last finish_reason, and the usage
chunk (empty choices) kept as usage.
"""

from __future__ import annotations

import json
from typing import Any

from ._base import CheckContext, body_of, is_success


def is_chat(ctx: CheckContext) -> bool:
    return ctx.operation.method == "POST" and ctx.operation.path.endswith("/chat/completions")


def chunks(ctx: CheckContext) -> list[dict[str, Any]]:
    """The JSON chunks of a stream, [DONE] and what is not JSON left out."""
    return json_events(ctx.response.events or [])


def json_events(events: list[str]) -> list[dict[str, Any]]:
    """The JSON objects of events' data, [DONE] and what is not JSON left out."""
    found = []
    for payload in events:
        try:
            chunk = json.loads(payload) if payload != "[DONE]" else None
        except (ValueError, RecursionError):
            chunk = None
        if isinstance(chunk, dict):
            found.append(chunk)
    return found


def answered_completion(ctx: CheckContext) -> dict[str, Any] | None:
    """The chat completion the answer holds, streamed or not; None for an error or another shape."""
    if not is_success(ctx):
        return None
    if ctx.case.streams:
        return assemble(chunks(ctx)) if ctx.response.events else None
    body = ctx.response.json
    return body if isinstance(body, dict) and body.get("object") == "chat.completion" else None


def assemble(parts: list[dict[str, Any]]) -> dict[str, Any]:
    """One ``chat.completion`` from its chunks."""
    choices: dict[int, dict[str, Any]] = {}
    usage = None
    for chunk in parts:
        if isinstance(chunk.get("usage"), dict):
            usage = chunk["usage"]
        for piece in chunk.get("choices") or []:
            if not isinstance(piece, dict) or not isinstance(piece.get("index"), int):
                continue
            choice = choices.setdefault(piece["index"], {"index": piece["index"], "message": {}, "finish_reason": None})
            _merge_delta(choice["message"], piece.get("delta"))
            if piece.get("finish_reason") is not None:
                choice["finish_reason"] = piece["finish_reason"]
            if isinstance(piece.get("logprobs"), dict):
                logprobs = choice.setdefault("logprobs", {"content": []})
                logprobs["content"] += piece["logprobs"].get("content") or []
    first = parts[0] if parts else {}
    return {
        "id": first.get("id"),
        "object": "chat.completion",
        "model": first.get("model"),
        "choices": [choices[i] for i in sorted(choices)],
        "usage": usage,
    }


def _merge_delta(message: dict[str, Any], delta: Any) -> None:
    if not isinstance(delta, dict):
        return
    if delta.get("role") and "role" not in message:
        message["role"] = delta["role"]
    if isinstance(delta.get("content"), str):
        message["content"] = (message.get("content") or "") + delta["content"]
    for fragment in delta.get("tool_calls") or []:
        if not isinstance(fragment, dict) or not isinstance(fragment.get("index"), int):
            continue
        calls = message.setdefault("tool_calls", [])
        while len(calls) <= fragment["index"]:
            calls.append({"id": None, "type": "function", "function": {"name": None, "arguments": ""}})
        call = calls[fragment["index"]]
        call["id"] = fragment.get("id") or call["id"]
        function = fragment.get("function")
        function = function if isinstance(function, dict) else {}
        call["function"]["name"] = function.get("name") or call["function"]["name"]
        call["function"]["arguments"] += function.get("arguments") or ""


def choices_of(completion: dict[str, Any]) -> list[dict[str, Any]]:
    choices = completion.get("choices")
    return [c for c in choices if isinstance(c, dict)] if isinstance(choices, list) else []


def asked_tools(ctx: CheckContext) -> dict[str, Any]:
    """Offered function name -> its parameters schema."""
    found = {}
    tools = body_of(ctx).get("tools")
    for tool in tools if isinstance(tools, list) else []:
        function = tool.get("function") if isinstance(tool, dict) else None
        if isinstance(function, dict) and isinstance(function.get("name"), str):
            found[function["name"]] = function.get("parameters")
    return found
