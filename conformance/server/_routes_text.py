"""Completions and edits: JSON answers and ``stream: true`` event streams."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ._common import now, require_model, usage, value
from ._completions import Choice, Settings, choices_for, prompts_of, require_context, stops_of
from ._registry import Call, Registry
from ._responses import sse
from ._text import count_tokens, generate, seed_of
from ._text import tokens as split_tokens

routes = Registry()

EDIT_TOKENS = 8  # words an edit adds: edits have no max_tokens


def _drift(obj: dict[str, Any], call: Call) -> dict[str, Any]:
    """The response-shape faults of completion answers."""
    if call.has("missing_required_field"):
        obj.pop("created", None)
    if call.has("wrong_field_type") and "created" in obj:
        obj["created"] = str(obj["created"])
    if call.has("null_not_nullable"):
        for choice in obj.get("choices", []):
            choice["text"] = None
    if call.has("example_shape_drift"):
        # The example shows usage.total_tokens, which the schema requires: a shape drift.
        if isinstance(obj.get("usage"), dict):
            obj["usage"].pop("total_tokens", None)
    return obj


@routes.handles("createCompletion", fallback={"model": "text-davinci-003", "prompt": "Say this"})
async def create_completion(call: Call) -> Any:
    body = call.body
    model = require_model(call, body.get("model"))
    prompts = prompts_of(body.get("prompt"))
    settings = Settings(
        model=model,
        suffix=body.get("suffix"),
        n=value(body, "n", 1),
        best_of=value(body, "best_of", 1),
        max_tokens=value(body, "max_tokens", 16),
        echo=bool(body.get("echo")),
        stops=stops_of(body.get("stop")),
        logprobs=body.get("logprobs"),
        faults=call.faults,
    )
    require_context(model, max((p.tokens for p in prompts), default=0), settings.max_tokens)
    choices = choices_for(prompts, settings)
    head = {"id": call.store.new_id("cmpl"), "object": "text_completion", "created": now(), "model": model}
    if body.get("stream"):
        # Shape faults stay out of streams, so that only the whole-response checks see them.
        return sse(_chunks(head, choices), call.faults)
    answer = {
        **head,
        "choices": [_choice_json(c) for c in choices],
        "usage": usage(call, sum(p.tokens for p in prompts), sum(c.completion_tokens for c in choices)),
    }
    return _drift(answer, call)


def _choice_json(choice: Choice) -> dict[str, Any]:
    return {
        "text": choice.text,
        "index": choice.index,
        "logprobs": choice.logprobs,
        "finish_reason": choice.finish_reason,
    }


def _chunks(head: dict[str, Any], choices: list[Choice]) -> Iterator[dict[str, Any]]:
    """One chunk per token of each choice; the last one of a choice says why it ended.

    Like the real API, chunks before the last carry ``finish_reason: null``.
    """
    for choice in choices:
        pieces = _pieces(choice)
        for at, (piece, logprobs) in enumerate(pieces):
            last = at == len(pieces) - 1
            yield {
                **head,
                "choices": [
                    {
                        "text": piece,
                        "index": choice.index,
                        "logprobs": logprobs,
                        "finish_reason": choice.finish_reason if last else None,
                    }
                ],
            }


def _pieces(choice: Choice) -> list[tuple[str, dict[str, Any] | None]]:
    if choice.logprobs is None:
        pieces = split_tokens(choice.text) or [""]
        return [(piece, None) for piece in pieces]
    lp = choice.logprobs
    if not lp["tokens"]:
        return [("", None)]
    return [
        (
            token,
            {
                "tokens": [token],
                "token_logprobs": [lp["token_logprobs"][i]],
                "top_logprobs": [lp["top_logprobs"][i]],
                "text_offset": [lp["text_offset"][i]],
            },
        )
        for i, token in enumerate(lp["tokens"])
    ]


@routes.handles("createEdit", fallback={"model": "text-davinci-edit-001", "instruction": "Fix the spelling mistakes"})
async def create_edit(call: Call) -> Any:
    body = call.body
    model = require_model(call, body.get("model"))
    source = value(body, "input", "")
    instruction = body["instruction"]
    n = 1 if call.has("ignore_n") else value(body, "n", 1)
    choices: list[dict[str, Any]] = []
    for i in range(n):
        added = "".join(generate(seed_of(model, source, instruction, i), EDIT_TOKENS))
        text = (source + added) if source else added.lstrip()
        choices.append({"text": text, "index": 0 if call.has("wrong_choice_index") else i})
    prompt_tokens = count_tokens(source) + count_tokens(instruction)
    return {
        "object": "edit",
        "created": now(),
        "choices": choices,
        "usage": usage(call, prompt_tokens, sum(count_tokens(c["text"]) for c in choices)),
    }
