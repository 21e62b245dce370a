"""``createChatCompletion``: chat.completion answers and chat.completion.chunk streams."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ._catalogue import snapshot_of
from ._chat import ChatChoice, budget_of, choices, prompt_tokens
from ._common import now, require_model
from ._registry import Call, Registry
from ._responses import sse
from ._stored_chat import remember_chat_completion
from ._text import tokens as split_tokens

routes = Registry()

FINGERPRINT = "fp_conformance"
WRONG_MODEL = "reference-model"  # what the chat_wrong_model fault answers


def answered_model(call: Call, model: str) -> str:
    """The model an answer names: the asked one as its dated snapshot (as the API does)."""
    if call.has("chat_wrong_model"):
        return WRONG_MODEL
    return snapshot_of(model) if call.store.modern.current else model


def chat_usage(call: Call, prompt: int, completion: int) -> dict[str, Any]:
    """A 2.x ``CompletionUsage`` with its details (one too many with chat_usage_mismatch)."""
    total = prompt + completion + (1 if call.has("chat_usage_mismatch") else 0)
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": total,
        "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
        "completion_tokens_details": {
            "reasoning_tokens": 0,
            "audio_tokens": 0,
            "accepted_prediction_tokens": 0,
            "rejected_prediction_tokens": 0,
        },
    }


@routes.handles(
    "createChatCompletion",
    fallback={"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Say this is a test"}]},
)
async def create_chat_completion(call: Call) -> Any:
    body = call.body
    model = require_model(call, body.get("model"))
    budget_of(body)  # refuses a budget below 1 before anything is generated
    made = choices(body, model, call.faults)
    head = {
        "id": call.store.new_id("chatcmpl", 29),
        "created": now(),
        "model": answered_model(call, model),
        "service_tier": "default",
        "system_fingerprint": FINGERPRINT,
    }
    usage = chat_usage(call, prompt_tokens(body["messages"]), sum(c.completion_tokens for c in made))
    if body.get("stream"):
        wants_usage = bool((body.get("stream_options") or {}).get("include_usage"))
        faults = call.faults | ({"stream_no_done"} if call.has("chat_stream_no_done") else set())
        return sse(chunks(head, made, usage if wants_usage else None, call.faults), faults)
    answer = {**head, "object": "chat.completion", "choices": [_choice_json(c) for c in made], "usage": usage}
    if body.get("store"):
        remember_chat_completion(call.store, body, {**answer, "metadata": body.get("metadata")})
    return answer


def _choice_json(choice: ChatChoice) -> dict[str, Any]:
    logprobs = None if choice.logprobs is None else {"content": choice.logprobs, "refusal": None}
    return {
        "index": choice.index,
        "message": choice.message,
        "logprobs": logprobs,
        "finish_reason": choice.finish_reason,
    }


def chunks(
    head: dict[str, Any], made: list[ChatChoice], usage: dict[str, Any] | None, faults: frozenset[str]
) -> Iterator[dict[str, Any]]:
    """Per choice: the role, the content (or tool-call) deltas, then the finish_reason;
    with ``include_usage`` every chunk has ``usage: null`` and a last one the usage."""
    chunk = {**head, "object": "chat.completion.chunk"}
    if usage is not None:
        chunk["usage"] = None

    def one(index: int, delta: dict[str, Any], reason: str | None = None, logprobs: Any = None) -> dict[str, Any]:
        return {**chunk, "choices": [{"index": index, "delta": delta, "logprobs": logprobs, "finish_reason": reason}]}

    for choice in made:
        first: dict[str, Any] = {"content": "", "refusal": None}
        if "chat_stream_no_role" not in faults:
            first = {"role": "assistant", **first}
        if choice.message.get("tool_calls"):
            first["content"] = None
        yield one(choice.index, first)
        yield from _deltas(choice, one)
        yield one(choice.index, {}, choice.finish_reason)
    if usage is not None and "chat_stream_no_usage_chunk" not in faults:
        yield {**chunk, "choices": [], "usage": usage}


def _deltas(choice: ChatChoice, one: Any) -> Iterator[dict[str, Any]]:
    for k, call in enumerate(choice.message.get("tool_calls") or []):
        yield one(
            choice.index,
            {
                "tool_calls": [
                    {
                        "index": k,
                        "id": call["id"],
                        "type": "function",
                        "function": {"name": call["function"]["name"], "arguments": ""},
                    }
                ]
            },
        )
        for piece in split_tokens(call["function"]["arguments"]):
            yield one(choice.index, {"tool_calls": [{"index": k, "function": {"arguments": piece}}]})
    for at, piece in enumerate(split_tokens(choice.message.get("content") or "")):
        logprobs = None
        if choice.logprobs is not None:
            logprobs = {"content": [choice.logprobs[at]], "refusal": None}
        yield one(choice.index, {"content": piece}, logprobs=logprobs)
