"""Completion choices: deterministic text honouring n, best_of, echo, stop,
max_tokens and logprobs, with the faults that break each of those rules."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ._catalogue import CONTEXT_LENGTHS, DEFAULT_CONTEXT_LENGTH
from ._errors import InvalidRequest
from ._text import count_tokens, cut_at_stop, decode_token_ids, generate, logprobs_block, seed_of
from ._text import tokens as split_tokens

DEFAULT_PROMPT = "<|endoftext|>"


@dataclass(frozen=True)
class Prompt:
    text: str
    tokens: int


@dataclass(frozen=True)
class Choice:
    text: str
    index: int
    finish_reason: str
    completion_tokens: int
    logprobs: dict[str, Any] | None


def prompts_of(prompt: Any) -> list[Prompt]:
    """The prompts of a request: string, strings, token ids, or lists of token ids."""
    if prompt is None:
        prompt = DEFAULT_PROMPT
    if isinstance(prompt, str):
        return [Prompt(prompt, count_tokens(prompt))]
    if prompt and all(isinstance(item, int) for item in prompt):
        return [Prompt(decode_token_ids(prompt), len(prompt))]
    out = []
    for item in prompt:
        if isinstance(item, str):
            out.append(Prompt(item, count_tokens(item)))
        else:
            out.append(Prompt(decode_token_ids(item), len(item)))
    return out


def stops_of(stop: Any) -> list[str]:
    if stop is None:
        return []
    return [stop] if isinstance(stop, str) else [s for s in stop if isinstance(s, str)]


@dataclass(frozen=True)
class Settings:
    """What shapes the choices: the request's knobs and the faults switched on."""

    model: str
    suffix: str | None
    n: int
    best_of: int
    max_tokens: int
    echo: bool
    stops: list[str]
    logprobs: int | None
    faults: frozenset[str]


def choices_for(prompts: list[Prompt], s: Settings) -> list[Choice]:
    """``n`` choices per prompt, in order; index = prompt * n + choice."""
    per_prompt = 1 if "ignore_n" in s.faults else s.n
    out: list[Choice] = []
    for p_index, prompt in enumerate(prompts):
        # best_of: candidates generated server-side, the best n returned in their order.
        candidates = range(max(s.best_of, per_prompt))
        best = sorted(candidates, key=lambda k: seed_of(s.model, prompt.text, "score", k))
        for c_index, candidate in enumerate(sorted(best[:per_prompt])):
            index = 0 if "wrong_choice_index" in s.faults else p_index * per_prompt + c_index
            out.append(_choice(prompt, s, seed_of(s.model, prompt.text, s.suffix, candidate), index))
    return out


def _choice(prompt: Prompt, s: Settings, seed: int, index: int) -> Choice:
    count = s.max_tokens + 3 if "exceed_max_tokens" in s.faults else s.max_tokens
    generated = "".join(generate(seed, count))
    text, stop = cut_at_stop(generated, s.stops)
    if stop is not None and "keep_stop_sequence" in s.faults:
        text += stop
    completion_tokens = count_tokens(text)
    if s.echo and "ignore_echo" not in s.faults:
        text = prompt.text + text
    logprobs = None
    if s.logprobs is not None:
        extra = 2 if "logprobs_too_many" in s.faults else 0
        logprobs = logprobs_block(seed, split_tokens(text), s.logprobs, extra=extra)
    reason = "stop" if stop is not None else "length"
    return Choice(text, index, reason, completion_tokens, logprobs)


def require_context(model: str, prompt_tokens: int, max_tokens: int) -> None:
    """A 400 like the API's when prompt and completion do not fit the model's context."""
    if max_tokens < 0:  # the schema may leave it unbounded; the API does not
        raise InvalidRequest(f"{max_tokens} is less than the minimum of 0 - 'max_tokens'", param="max_tokens")
    limit = CONTEXT_LENGTHS.get(model, DEFAULT_CONTEXT_LENGTH)
    if prompt_tokens + max_tokens > limit:
        raise InvalidRequest(
            f"This model's maximum context length is {limit} tokens, however you requested "
            f"{prompt_tokens + max_tokens} tokens ({prompt_tokens} in your prompt; "
            f"{max_tokens} for the completion). Please reduce your prompt; or "
            "completion length.",
            param="max_tokens",
            code="context_length_exceeded",
        )
