"""Chat completion choices: deterministic messages honouring n, the token budget,
stop sequences, logprobs, tools and tool_choice, and response_format."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ._completions import stops_of
from ._errors import InvalidRequest
from ._instance import instance
from ._text import WORDS, count_tokens, cut_at_stop, generate, logprob, seed_of
from ._text import tokens as split_tokens

MIN_WORDS, MAX_WORDS = 20, 40  # the natural length of an answer, when nothing cuts it


@dataclass(frozen=True)
class ChatChoice:
    """One choice: its message, why it ended, what it cost, its logprobs entries."""

    index: int
    message: dict[str, Any]
    finish_reason: str
    completion_tokens: int
    logprobs: list[dict[str, Any]] | None


def text_of(content: Any) -> str:
    """The text of a message's content: a string or a list of parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(p.get("text", "") for p in content if isinstance(p, dict) and isinstance(p.get("text"), str))
    return ""


def prompt_tokens(messages: list[dict[str, Any]]) -> int:
    return sum(count_tokens(text_of(m.get("content"))) for m in messages)


def budget_of(body: dict[str, Any]) -> int | None:
    """``max_completion_tokens`` (or the older ``max_tokens``); None: unbounded."""
    for name in ("max_completion_tokens", "max_tokens"):
        if body.get(name) is not None:
            if body[name] < 1:
                raise InvalidRequest(
                    f"Invalid '{name}': integer below minimum value. Expected "
                    f"a value >= 1, but got {body[name]} instead.",
                    param=name,
                )
            return int(body[name])
    return None


def choices(body: dict[str, Any], model: str, faults: frozenset[str]) -> list[ChatChoice]:
    """The ``n`` choices of a request (one with ``chat_ignore_n``)."""
    messages = body["messages"]
    n = 1 if "chat_ignore_n" in faults else int(body.get("n") or 1)
    base = seed_of(model, json.dumps(messages, sort_keys=True), body.get("seed"))
    calls = tool_plan(body, text_of(messages[-1].get("content")), faults)
    return [_choice(body, seed_of(base, i), i, calls, faults) for i in range(n)]


def _choice(
    body: dict[str, Any], seed: int, index: int, calls: list[dict[str, Any]] | None, faults: frozenset[str]
) -> ChatChoice:
    if calls is not None:
        tool_calls = [{**call, "id": f"call_{seed_of(seed, k) % 10**20:020d}"} for k, call in enumerate(calls)]
        message = _message(None)
        message["tool_calls"] = tool_calls
        cost = sum(count_tokens(c["function"]["arguments"]) for c in tool_calls)
        return ChatChoice(index, message, "tool_calls", cost, None)
    natural = _natural(body, seed, faults)
    budget = budget_of(body)
    if budget is not None and "chat_exceed_max_tokens" in faults:
        budget += 3
    pieces = split_tokens(natural)
    reason = "stop"
    if budget is not None and len(pieces) > budget:
        pieces, reason = pieces[:budget], "length"
        if "chat_wrong_finish_reason" in faults:
            reason = "stop"
    text, stop = cut_at_stop("".join(pieces), stops_of(body.get("stop")))
    if stop is not None:
        reason = "stop"
        if "chat_keep_stop_sequence" in faults:
            text += stop
    pieces = split_tokens(text)
    entries = _logprobs(body, seed, pieces, faults)
    return ChatChoice(index, _message(text), reason, len(pieces), entries)


def _message(content: str | None) -> dict[str, Any]:
    return {"role": "assistant", "content": content, "refusal": None, "annotations": []}


def _natural(body: dict[str, Any], seed: int, faults: frozenset[str]) -> str:
    """The whole answer before any cut: words, or JSON for a JSON response_format."""
    fmt = body.get("response_format") or {}
    words = "".join(generate(seed, MIN_WORDS + seed % (MAX_WORDS - MIN_WORDS))).lstrip()
    if fmt.get("type") == "json_object":
        return json.dumps({"answer": words})
    if fmt.get("type") == "json_schema":
        schema = (fmt.get("json_schema") or {}).get("schema") or {"type": "object"}
        value = instance(schema, seed)
        if "chat_schema_violation" in faults:
            value = _drop_required(value, schema)
        return json.dumps(value)
    return words


def _drop_required(value: Any, schema: dict[str, Any]) -> Any:
    """``value`` without the first property ``schema`` requires (the violation faults)."""
    required = schema.get("required") or []
    if isinstance(value, dict) and required:
        return {k: v for k, v in value.items() if k != required[0]}
    return value


def _logprobs(
    body: dict[str, Any], seed: int, pieces: list[str], faults: frozenset[str]
) -> list[dict[str, Any]] | None:
    """``logprobs.content``: one entry per token, each with exactly ``top_logprobs``
    alternatives (one more with ``chat_extra_top_logprobs``)."""
    if not body.get("logprobs"):
        return None
    top = int(body.get("top_logprobs") or 0) + (1 if "chat_extra_top_logprobs" in faults else 0)
    out = []
    for at, piece in enumerate(pieces):
        chosen = logprob(seed, at, piece)
        alternatives = [piece] + [f" {w}" for w in WORDS if f" {w}" != piece]
        out.append(
            {
                **_entry(piece, chosen),
                "top_logprobs": [
                    _entry(alt, chosen if k == 0 else round(chosen - 0.5 - k / 100, 3))
                    for k, alt in enumerate(alternatives[:top])
                ],
            }
        )
    return out


def _entry(token: str, value: float) -> dict[str, Any]:
    return {"token": token, "logprob": value, "bytes": list(token.encode("utf-8"))}


# --- tools --------------------------------------------------------------------


def _functions(body: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        t["function"]
        for t in body.get("tools") or []
        if t.get("type") == "function" and isinstance(t.get("function"), dict)
    ]


def tool_plan(body: dict[str, Any], last_text: str, faults: frozenset[str]) -> list[dict[str, Any]] | None:
    """The tool calls every choice makes (without ids), or None for a text answer.

    ``auto`` calls the tools the last message names, ``required`` those or else the
    first, a named choice that function, ``none`` nothing; ``parallel_tool_calls:
    false`` keeps one call.
    """
    functions = _functions(body)
    choice = body.get("tool_choice") or ("auto" if functions else "none")
    if not functions or choice == "none":
        return None
    if isinstance(choice, dict):
        named = (choice.get("function") or {}).get("name")
        mode = "named" if named else (choice.get("allowed_tools") or {}).get("mode", "auto")
        if not named and choice.get("type") == "allowed_tools":
            allowed = {
                t.get("function", {}).get("name", t.get("name")) for t in choice["allowed_tools"].get("tools", [])
            }
            functions = [f for f in functions if f["name"] in allowed] or functions
    else:
        mode, named = choice, None
    if mode in ("named", "required") and "chat_ignore_tool_choice" in faults:
        return None
    if mode == "named":
        picked = [f for f in functions if f["name"] == named]
        if not picked:
            raise InvalidRequest(
                f"Invalid value for 'tool_choice': no function named '{named}' was specified in the 'tools' parameter.",
                param="tool_choice",
            )
    else:
        picked = [f for f in functions if f["name"] in last_text]
        if not picked and mode == "required":
            picked = functions[:1]
    if not picked:
        return None
    if body.get("parallel_tool_calls") is False:
        picked = picked[:1]
    return [_call(f, faults) for f in picked]


def _call(function: dict[str, Any], faults: frozenset[str]) -> dict[str, Any]:
    parameters = function.get("parameters") or {"type": "object", "properties": {}}
    arguments = instance(parameters, seed_of("arguments", function["name"]))
    if "chat_bad_tool_arguments" in faults:
        arguments = _drop_required(arguments, parameters)
    return {"type": "function", "function": {"name": function["name"], "arguments": json.dumps(arguments)}}
