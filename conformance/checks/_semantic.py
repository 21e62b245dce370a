"""The API's semantics: what a response must say given what was asked.

Each check reads the request (``ctx.case``) and the response body; none is
tied to an operation id, so they apply to any spec version with these fields.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterator
from typing import Any

from openai_conformance.spec import image_model, is_gpt_image_model

from ..profiles import profile_for, request_default
from ..results._tally import Failure
from ._base import CheckContext, base64_bytes, body_of, check, is_success
from ._chat_reading import answered_completion, is_chat
from ._usage import is_responses_usage, responses_usage_failures

MODERATION_CATEGORIES = (
    "hate",
    "hate/threatening",
    "self-harm",
    "sexual",
    "sexual/minors",
    "violence",
    "violence/graphic",
)


def _choices(ctx: CheckContext) -> list[Any] | None:
    body = ctx.response.json
    choices = body.get("choices") if isinstance(body, dict) else None
    return choices if isinstance(choices, list) else None


def _answers_choices(ctx: CheckContext) -> bool:
    return is_success(ctx) and not ctx.case.streams and _choices(ctx) is not None


def prompt_of_choice(body: dict[str, Any], index: int) -> Any:
    """The prompt choice ``index`` answers: with n choices per prompt, prompt index // n."""
    prompt = body.get("prompt")
    prompts = (
        prompt if isinstance(prompt, list) and prompt and all(isinstance(p, (str, list)) for p in prompt) else [prompt]
    )
    asked = body.get("n")
    n = asked if isinstance(asked, int) and asked > 0 else 1
    return prompts[min(index // n, len(prompts) - 1)]


def prompt_count(prompt: Any) -> int | None:
    """How many prompts (or inputs) a value holds: a string, strings, tokens, token arrays.

    ``None`` for ``[]``: zero strings or one empty token array, the API does not say.
    """
    if prompt == []:
        return None
    if isinstance(prompt, list) and all(isinstance(p, (str, list)) for p in prompt):
        return len(prompt)
    return 1


@check(
    "choices_count",
    "A completion answers n choices per prompt (n defaults to 1).",
    source="semantics",
    applies=_answers_choices,
)
def choices_count_conformance(ctx: CheckContext) -> Iterator[Failure]:
    body = body_of(ctx)
    n = body.get("n") or 1
    prompts = prompt_count(body.get("prompt"))
    if prompts is None:
        return
    expected = n * prompts
    got = len(_choices(ctx) or [])
    if got != expected:
        yield Failure(f"{got} choices for n={n}", f"{expected} choices", f"{got} choices", pointer="/choices")


@check("choice_indices", "Choice indices are 0..len-1, each once.", source="semantics", applies=_answers_choices)
def choice_indices_conformance(ctx: CheckContext) -> Iterator[Failure]:
    indices = [c.get("index") for c in _choices(ctx) or [] if isinstance(c, dict)]
    if sorted(i for i in indices if isinstance(i, int)) != list(range(len(indices))):
        yield Failure(
            "Choice indices are not 0..len-1", str(list(range(len(indices)))), str(indices), pointer="/choices"
        )


def _usage(ctx: CheckContext) -> dict[str, Any] | None:
    body = ctx.response.json
    usage = body.get("usage") if isinstance(body, dict) else None
    return usage if isinstance(usage, dict) else None


@check(
    "usage_arithmetic",
    "usage.total_tokens equals prompt_tokens plus completion_tokens (input_tokens plus output_tokens).",
    source="semantics",
    applies=lambda ctx: is_success(ctx) and _usage(ctx) is not None,
)
def usage_arithmetic_conformance(ctx: CheckContext) -> Iterator[Failure]:
    usage = _usage(ctx) or {}
    if is_responses_usage(usage):  # the Responses API counts input and output tokens
        yield from responses_usage_failures(usage)
        return
    parts = [usage.get("prompt_tokens"), usage.get("completion_tokens", 0)]
    total = usage.get("total_tokens")
    if all(isinstance(p, int) for p in parts) and isinstance(total, int) and total != sum(parts):
        yield Failure(
            "usage does not add up",
            f"total_tokens = {parts[0]} + {parts[1]} = {sum(parts)}",
            f"total_tokens = {total}",
            pointer="/usage/total_tokens",
        )


def token_budget(body: dict[str, Any]) -> tuple[str, int] | None:
    """The completion budget asked: chat's max_completion_tokens, which replaces the deprecated
    max_tokens (API reference), wins when both come; completions have max_tokens only."""
    for name in ("max_completion_tokens", "max_tokens"):
        value = body.get(name)
        if isinstance(value, int) and not isinstance(value, bool):
            return name, value
    return None


@check(
    "max_tokens_respected",
    "No choice has more completion tokens than max_completion_tokens (chat) or max_tokens.",
    source="semantics",
    applies=lambda ctx: _answers_choices(ctx) and token_budget(body_of(ctx)) is not None,
)
def max_tokens_respected_conformance(ctx: CheckContext) -> Iterator[Failure]:
    name, limit = token_budget(body_of(ctx)) or ("max_tokens", 0)
    choices = _choices(ctx) or []
    usage = _usage(ctx) or {}
    completion = usage.get("completion_tokens")
    if isinstance(completion, int) and completion > limit * max(1, len(choices)):
        yield Failure(
            f"{completion} completion tokens for {name}={limit}",
            f"at most {limit} per choice ({limit * max(1, len(choices))} in all)",
            str(completion),
            pointer="/usage/completion_tokens",
        )
    if body_of(ctx).get("echo"):
        return  # echoed prompt tokens sit in logprobs too, and only the target's tokenizer can count them
    for i, choice in enumerate(choices):
        logprobs = choice.get("logprobs") if isinstance(choice, dict) else None
        tokens = logprobs.get("tokens") if isinstance(logprobs, dict) else None
        if isinstance(tokens, list) and len(tokens) > limit:
            yield Failure(
                f"choice {i} has {len(tokens)} tokens for {name}={limit}",
                f"at most {limit}",
                str(len(tokens)),
                pointer=f"/choices/{i}/logprobs/tokens",
            )


def _stops(ctx: CheckContext) -> list[str]:
    stop = body_of(ctx).get("stop")
    stops = [stop] if isinstance(stop, str) else stop if isinstance(stop, list) else []
    return [s for s in stops if isinstance(s, str) and s]


def _generated_texts(ctx: CheckContext) -> list[tuple[str, str]]:
    """(pointer, text) of each choice: a completion's ``text``, a chat ``message.content``
    (a streamed chat's assembled from its deltas)."""
    chat = answered_completion(ctx) if is_chat(ctx) else None
    if chat is not None:
        return [
            (f"/choices/{i}/message/content", c["message"]["content"])
            for i, c in enumerate(chat.get("choices") or [])
            if isinstance(c, dict)
            and isinstance(c.get("message"), dict)
            and isinstance(c["message"].get("content"), str)
        ]
    if not _answers_choices(ctx):
        return []
    body = body_of(ctx)
    found = []
    for i, choice in enumerate(_choices(ctx) or []):
        text = choice.get("text") if isinstance(choice, dict) else None
        if not isinstance(text, str):
            continue
        prompt = prompt_of_choice(body, i) if body.get("echo") else ""
        if body.get("echo") and not isinstance(prompt, str):
            continue  # an echoed token prompt: only the target's tokenizer knows its text
        found.append((f"/choices/{i}/text", text[len(prompt) :] if prompt and text.startswith(prompt) else text))
    return found


@check(
    "stop_respected",
    "No generated text (completion text, chat content, streamed or not) contains a stop sequence: the API cuts before it.",
    source="semantics",
    applies=lambda ctx: is_success(ctx) and bool(_stops(ctx)),
)
def stop_respected_conformance(ctx: CheckContext) -> Iterator[Failure]:
    for pointer, generated in _generated_texts(ctx):
        for stop in _stops(ctx):
            if stop in generated:
                choice = pointer.split("/")[2]
                yield Failure(
                    f"choice {choice} contains the stop sequence {stop!r}",
                    f"text cut before {stop!r}",
                    repr(generated[:120]),
                    pointer=pointer,
                )
                break


@check(
    "echo_respected",
    "With echo, each choice's text starts with its prompt.",
    source="semantics",
    applies=lambda ctx: (
        _answers_choices(ctx)
        and body_of(ctx).get("echo") is True
        and isinstance(body_of(ctx).get("prompt"), (str, list))
    ),
)
def echo_respected_conformance(ctx: CheckContext) -> Iterator[Failure]:
    body = body_of(ctx)
    for i, choice in enumerate(_choices(ctx) or []):
        expected = prompt_of_choice(body, i)
        if not isinstance(expected, str):
            continue  # token prompts: the echoed text depends on the tokenizer
        text = choice.get("text") if isinstance(choice, dict) else None
        if isinstance(text, str) and not text.startswith(expected):
            yield Failure(
                f"choice {i} does not echo its prompt",
                f"text starting with {expected[:60]!r}",
                repr(text[:60]),
                pointer=f"/choices/{i}/text",
            )


@check(
    "logprobs_shape",
    "logprobs has tokens, token_logprobs, top_logprobs (at most logprobs+1 each) and text_offset of one length.",
    source="semantics",
    applies=_answers_choices,
)
def logprobs_shape_conformance(ctx: CheckContext) -> Iterator[Failure]:
    asked = body_of(ctx).get("logprobs")
    if isinstance(asked, bool):
        return  # chat completions: logprobs is a switch, and the answer has another shape
    for i, choice in enumerate(_choices(ctx) or []):
        logprobs = choice.get("logprobs") if isinstance(choice, dict) else None
        where = f"/choices/{i}/logprobs"
        if not isinstance(choice, dict) or "text" not in choice:
            continue  # the legacy text-completion shape only
        if not isinstance(asked, int):
            if logprobs not in (None, {}) and "logprobs" in body_of(ctx):
                yield Failure("logprobs returned though not asked", "null", "an object", pointer=where)
            continue
        if not isinstance(logprobs, dict):
            yield Failure(f"logprobs={asked} asked, none returned", "an object", repr(logprobs), pointer=where)
            continue
        lists = {k: logprobs.get(k) for k in ("tokens", "token_logprobs", "top_logprobs", "text_offset")}
        lengths = {k: len(v) for k, v in lists.items() if isinstance(v, list)}
        if len(lengths) != 4 or len(set(lengths.values())) != 1:
            yield Failure(
                "logprobs lists differ in length or are missing",
                "four lists of one length",
                str(lengths),
                pointer=where,
            )
        for j, top in enumerate(lists.get("top_logprobs") or []):
            if isinstance(top, dict) and len(top) > asked + 1:
                yield Failure(
                    f"top_logprobs[{j}] has {len(top)} entries for logprobs={asked}",
                    f"at most {asked + 1}",
                    str(len(top)),
                    pointer=f"{where}/top_logprobs/{j}",
                )
                break


def _data(ctx: CheckContext) -> list[Any] | None:
    body = ctx.response.json
    data = body.get("data") if isinstance(body, dict) else None
    return data if isinstance(data, list) else None


@check(
    "embedding_count_order_dimension",
    "One embedding per input, in input order, all of the model's dimension.",
    source="semantics",
    applies=lambda ctx: (
        is_success(ctx)
        and "input" in body_of(ctx)
        and _data(ctx) is not None
        and all(isinstance(d, dict) and "embedding" in d for d in _data(ctx) or [])
    ),
)
def embedding_count_order_dimension_conformance(ctx: CheckContext) -> Iterator[Failure]:
    body = body_of(ctx)
    data = _data(ctx) or []
    expected = prompt_count(body.get("input"))
    if expected is not None and len(data) != expected:
        yield Failure(f"{len(data)} embeddings for {expected} inputs", str(expected), str(len(data)), pointer="/data")
    indices = [d.get("index") for d in data]
    if indices != list(range(len(data))):
        yield Failure("Embeddings out of input order", str(list(range(len(data)))), str(indices), pointer="/data")
    # the base64 form's length is embedding_base64's: one short vector, one finding
    dims = {len(d["embedding"]) for d in data if isinstance(d.get("embedding"), list)}
    asked = body.get("dimensions")
    want = (
        asked
        if isinstance(asked, int) and not isinstance(asked, bool)
        else profile_for(ctx.spec).embedding_dimensions.get(str(body.get("model")))
    )
    if len(dims) > 1 or (want and dims and dims != {want}):
        yield Failure(
            "Wrong embedding dimension", str(want or "one dimension"), str(sorted(dims)), pointer="/data/0/embedding"
        )


def _asks_images(ctx: CheckContext) -> bool:
    """An image request: it names a size or response format, or answers image items."""
    data = _data(ctx) or []
    if any(key in body_of(ctx) for key in ("size", "response_format")) or ctx.operation.path.startswith("/images/"):
        return True
    return bool(data) and all(isinstance(d, dict) and ("url" in d or "b64_json" in d) for d in data)


def _answers_base64(ctx: CheckContext, body: dict[str, Any]) -> bool:
    """A GPT image model answers (the one asked, or the one the request picks): always base64."""
    return is_gpt_image_model(image_model(body, request_default(ctx.spec, ctx.operation, "model")))


@check(
    "image_count_size_format",
    "n images of the asked size and format, as b64_json or url as asked (GPT image models: b64_json).",
    source="semantics",
    applies=lambda ctx: is_success(ctx) and _data(ctx) is not None and _asks_images(ctx),
)
def image_count_size_format_conformance(ctx: CheckContext) -> Iterator[Failure]:
    body = body_of(ctx)
    data = _data(ctx) or []
    n = int(body.get("n") or 1)
    if len(data) != n:
        yield Failure(f"{len(data)} images for n={n}", str(n), str(len(data)), pointer="/data")
    # What the API does with a field left out is the document's `default` (2.3.0: size auto).
    if _answers_base64(ctx, body):
        fmt, kind = "b64_json", str(body.get("output_format") or "png").upper()
    else:
        fmt, kind = body.get("response_format") or request_default(ctx.spec, ctx.operation, "response_format"), "PNG"
    size = str(body.get("size") or request_default(ctx.spec, ctx.operation, "size"))
    fetch = ctx.extra.get("fetch")
    for i, item in enumerate(data):
        shown = fmt if fmt in ("url", "b64_json") else next((k for k in ("b64_json", "url") if item.get(k)), "url")
        if shown not in item or not item.get(shown):
            yield Failure(f"image {i} lacks {shown}", f"{shown} (as asked)", ", ".join(item), pointer=f"/data/{i}")
            continue
        if not re.fullmatch(r"\d+x\d+", size):
            continue  # "auto" (or no default): any size the model picks
        content = (base64_bytes(item[shown]) or b"") if shown == "b64_json" else (fetch(item[shown]) if fetch else None)
        if content is None:
            continue
        got = _image_size(content, "JPEG" if kind == "JPG" else kind)
        if got != size:
            yield Failure(f"image {i} is {got}, asked {size}", f"a {size} {kind}", got, pointer=f"/data/{i}/{shown}")


def _image_size(content: bytes, kind: str) -> str:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(content)) as image:
            return f"{image.width}x{image.height}" if image.format == kind else f"not a {kind} ({image.format})"
    except Exception:  # noqa: BLE001 - any undecodable image is the finding itself
        return "not an image"


@check(
    "moderation_results",
    "One result per input with all seven categories and scores; flagged iff a category is true.",
    source="semantics",
    applies=lambda ctx: (
        is_success(ctx)
        and "input" in body_of(ctx)
        and isinstance(ctx.response.json, dict)
        and isinstance(ctx.response.json.get("results"), list)
        and all(isinstance(r, dict) and "categories" in r for r in ctx.response.json["results"])
    ),
)
def moderation_results_conformance(ctx: CheckContext) -> Iterator[Failure]:
    results = ctx.response.json["results"]
    expected = prompt_count(body_of(ctx).get("input"))
    if expected is not None and len(results) != expected:
        yield Failure(
            f"{len(results)} results for {expected} inputs", str(expected), str(len(results)), pointer="/results"
        )
    for i, result in enumerate(results):
        if not isinstance(result, dict):
            continue
        categories = result.get("categories") or {}
        scores = result.get("category_scores") or {}
        missing = [c for c in MODERATION_CATEGORIES if c not in categories or c not in scores]
        if missing:
            yield Failure(
                f"result {i} lacks {', '.join(missing)}",
                "all seven categories",
                ", ".join(categories),
                pointer=f"/results/{i}",
            )
        bad = [c for c, s in scores.items() if not isinstance(s, (int, float)) or not 0 <= s <= 1 or math.isnan(s)]
        if bad:
            yield Failure(
                f"result {i} has scores out of [0, 1]",
                "scores in [0, 1]",
                ", ".join(bad),
                pointer=f"/results/{i}/category_scores",
            )
        flagged = any(v is True for v in categories.values())
        if result.get("flagged") is not flagged:
            yield Failure(
                f"result {i}: flagged={result.get('flagged')} but categories say {flagged}",
                str(flagged),
                str(result.get("flagged")),
                pointer=f"/results/{i}/flagged",
            )


# The catalogue takes these in one call (checks.py), in this order.
CHECKS_HERE = (
    choices_count_conformance,
    choice_indices_conformance,
    usage_arithmetic_conformance,
    max_tokens_respected_conformance,
    stop_respected_conformance,
    echo_respected_conformance,
    logprobs_shape_conformance,
    embedding_count_order_dimension_conformance,
    image_count_size_format_conformance,
    moderation_results_conformance,
)
