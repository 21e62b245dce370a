"""Chat completions semantics: what a ``chat.completion`` must say given what was asked.

Rules from the 2.3.0 document (``CreateChatCompletionRequest``/``Response``: ``n``,
``finish_reason`` enum and meaning, ``logprobs``/``top_logprobs``, ``tools``,
``tool_choice``, ``response_format``) and the official SDK (``chat.completions.parse``
reads strict ``json_schema`` content as the schema's instance). A streamed answer is
assembled into the same message first (``_chat_reading.assemble``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from ..results._tally import Failure
from ._base import CheckContext, body_of, check, mapping, schema_errors
from ._chat_reading import answered_completion, asked_tools, choices_of, is_chat

FINISH_REASONS = ("stop", "length", "tool_calls", "content_filter", "function_call")


def _completion(ctx: CheckContext) -> dict[str, Any] | None:
    return answered_completion(ctx) if is_chat(ctx) else None


@check(
    "finish_reason_consistent",
    "A chat choice's finish_reason is a documented one, tool_calls exactly when it calls tools, "
    "and length only when the completion used its whole token budget.",
    source="semantics",
    applies=lambda ctx: _completion(ctx) is not None,
)
def finish_reason_consistent(ctx: CheckContext) -> Iterator[Failure]:
    completion = _completion(ctx) or {}
    budget = _budget(body_of(ctx))
    used = (
        (completion.get("usage") or {}).get("completion_tokens") if isinstance(completion.get("usage"), dict) else None
    )
    for i, choice in enumerate(choices_of(completion)):
        reason, message = choice.get("finish_reason"), choice.get("message") or {}
        where = f"/choices/{i}/finish_reason"
        if reason not in FINISH_REASONS:
            yield Failure(
                f"Unknown finish_reason {reason!r}", "one of " + ", ".join(FINISH_REASONS), repr(reason), pointer=where
            )
            continue
        calls = bool(isinstance(message, dict) and message.get("tool_calls"))
        if calls != (reason == "tool_calls"):
            yield Failure(
                "finish_reason and tool calls disagree",
                "tool_calls exactly when the message calls tools",
                f"finish_reason {reason!r}, {'with' if calls else 'without'} tool calls",
                pointer=where,
            )
        if (
            reason == "length"
            and budget is not None
            and isinstance(used, int)
            and len(choices_of(completion)) == 1
            and used < budget
        ):
            yield Failure(
                "finish_reason length with budget left",
                f"length only at {budget} tokens",
                f"{used} tokens",
                pointer=where,
            )
        if (
            reason == "stop"
            and budget is not None
            and isinstance(used, int)
            and len(choices_of(completion)) == 1
            and used >= budget
        ):
            yield Failure(
                "finish_reason stop when the token budget ran out",
                f"length at {budget} tokens",
                f"stop at {used} tokens",
                pointer=where,
            )


def _budget(body: dict[str, Any]) -> int | None:
    for name in ("max_completion_tokens", "max_tokens"):
        value = body.get(name)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    return None


@check(
    "chat_logprobs",
    "Chat logprobs are there exactly when asked, with exactly top_logprobs alternatives per token.",
    source="semantics",
    applies=lambda ctx: _completion(ctx) is not None,
)
def chat_logprobs(ctx: CheckContext) -> Iterator[Failure]:
    body = body_of(ctx)
    asked, top = body.get("logprobs") is True, body.get("top_logprobs")
    for i, choice in enumerate(choices_of(_completion(ctx) or {})):
        logprobs = choice.get("logprobs")
        content = logprobs.get("content") if isinstance(logprobs, dict) else None
        message = mapping(choice.get("message"))
        if not isinstance(message.get("content"), str) or not message["content"]:
            continue  # a tool call or a refusal has no tokens of content to score
        if not asked:
            if content:
                yield Failure(
                    "logprobs not asked for, but given",
                    "logprobs: null",
                    "a logprobs.content list",
                    pointer=f"/choices/{i}/logprobs",
                )
            continue
        if not isinstance(content, list):
            yield Failure(
                "logprobs asked for, not given",
                "logprobs.content: a list of tokens",
                repr(logprobs)[:80],
                pointer=f"/choices/{i}/logprobs",
            )
            continue
        want = top if isinstance(top, int) and not isinstance(top, bool) else 0
        for j, token in enumerate(content):
            alternatives = token.get("top_logprobs") if isinstance(token, dict) else None
            if isinstance(alternatives, list) and len(alternatives) != want:
                yield Failure(
                    f"{len(alternatives)} top_logprobs for top_logprobs={want}",
                    f"{want} alternatives per token",
                    f"{len(alternatives)} alternatives",
                    pointer=f"/choices/{i}/logprobs/content/{j}/top_logprobs",
                )
                break


def _calls(message: Any) -> list[dict[str, Any]]:
    calls = message.get("tool_calls") if isinstance(message, dict) else None
    return [c for c in calls if isinstance(c, dict)] if isinstance(calls, list) else []


@check(
    "tool_choice_honoured",
    "tool_choice none answers no tool call, required at least one, a named function that function.",
    source="semantics",
    applies=lambda ctx: _completion(ctx) is not None and bool(asked_tools(ctx)) and "tool_choice" in body_of(ctx),
)
def tool_choice_honoured(ctx: CheckContext) -> Iterator[Failure]:
    choice = body_of(ctx).get("tool_choice")
    named = choice.get("function", {}).get("name") if isinstance(choice, dict) else None
    for i, item in enumerate(choices_of(_completion(ctx) or {})):
        calls = _calls(item.get("message"))
        names = [c.get("function", {}).get("name") for c in calls if isinstance(c.get("function"), dict)]
        where = f"/choices/{i}/message/tool_calls"
        if choice == "none" and calls:
            yield Failure(
                "Tool called under tool_choice none", "no tool call", f"{len(calls)} tool calls", pointer=where
            )
        elif choice == "required" and not calls:
            yield Failure(
                "No tool call under tool_choice required", "at least one tool call", "a plain message", pointer=where
            )
        elif named and (not calls or any(n != named for n in names)):
            yield Failure(
                f"tool_choice named {named!r}", f"a call of {named!r} only", f"calls: {names or 'none'}", pointer=where
            )


@check(
    "tool_calls_valid",
    "Tool calls have unique ids, name an offered function, and carry JSON arguments valid against its parameters.",
    source="semantics",
    applies=lambda ctx: _completion(ctx) is not None and bool(asked_tools(ctx)),
)
def tool_calls_valid(ctx: CheckContext) -> Iterator[Failure]:
    tools = asked_tools(ctx)
    for i, choice in enumerate(choices_of(_completion(ctx) or {})):
        calls = _calls(choice.get("message"))
        ids = [c.get("id") for c in calls]
        if len(set(map(str, ids))) < len(ids):
            yield Failure(
                "Tool call ids repeat", "a unique id per call", f"ids {ids}", pointer=f"/choices/{i}/message/tool_calls"
            )
        for j, call in enumerate(calls):
            where = f"/choices/{i}/message/tool_calls/{j}/function"
            function = mapping(call.get("function"))
            name = function.get("name")
            if name not in tools:
                yield Failure(
                    f"Call of a function not offered: {name!r}", "one of the offered tools", repr(name), pointer=where
                )
                continue
            yield from _valid_json(function.get("arguments"), tools[name], f"arguments of {name}", where + "/arguments")


def _valid_json(text: Any, schema: Any, what: str, pointer: str) -> Iterator[Failure]:
    try:
        value = json.loads(text) if isinstance(text, str) else None
    except ValueError:
        value = None
    if value is None:
        yield Failure(f"The {what} are not JSON", "a JSON document", repr(text)[:80], pointer=pointer)
        return
    errors = schema_errors(schema, value) if isinstance(schema, dict) else []
    if errors:
        yield Failure(
            f"The {what} do not match the given schema",
            "valid against the request's schema",
            errors[0],
            pointer=pointer,
        )


@check(
    "structured_output",
    "response_format json_schema (strict) answers content valid against the schema; json_object answers JSON.",
    source="semantics",
    applies=lambda ctx: _completion(ctx) is not None and _format(ctx) is not None,
)
def structured_output(ctx: CheckContext) -> Iterator[Failure]:
    fmt = _format(ctx) or {}
    schema = (fmt.get("json_schema") or {}).get("schema") if fmt.get("type") == "json_schema" else None
    strict = fmt.get("type") == "json_object" or bool((fmt.get("json_schema") or {}).get("strict"))
    for i, choice in enumerate(choices_of(_completion(ctx) or {})):
        message = mapping(choice.get("message"))
        content = message.get("content")
        if content is None or choice.get("finish_reason") in ("length", "content_filter") or message.get("refusal"):
            continue  # cut short or refused: nothing whole to hold to the schema
        yield from _valid_json(content, schema if strict else None, "message content", f"/choices/{i}/message/content")


def _format(ctx: CheckContext) -> dict[str, Any] | None:
    fmt = body_of(ctx).get("response_format")
    return fmt if isinstance(fmt, dict) and fmt.get("type") in ("json_schema", "json_object") else None


# The catalogue takes these in one call (checks.py), in this order.
CHECKS_HERE = (finish_reason_consistent, chat_logprobs, tool_choice_honoured, tool_calls_valid, structured_output)
