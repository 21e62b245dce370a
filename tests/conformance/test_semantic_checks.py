"""Semantic checks on hand-made responses: right answers pass, wrong ones fail.

Responses of the later documents' shapes (chat completions, embeddings with
``dimensions``, eval results) must not be judged by rules of other endpoints.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from openai_conformance.checks import CHECKS, CheckContext, Response
from openai_conformance.spec import load_spec
from openai_conformance.strategies import Case

SEED = load_spec("openai-1.1.0")
LATEST = load_spec("openai-2.3.0-2026-08-21")


def failures(
    check: str, spec: Any, operation_id: str, body: dict[str, Any], answer: dict[str, Any]
) -> list[str] | None:
    """The messages of ``check`` on this exchange, or None when it does not apply."""
    op = spec.operation(operation_id)
    case = Case(operation_id, op.method, op.path, json=body, media_type="application/json")
    response = Response(200, {"content-type": "application/json"}, json.dumps(answer).encode(), 1.0)
    ctx = CheckContext(spec, op, case, response)
    entry = CHECKS[check]
    if not entry.applies(ctx):
        return None
    return [f.message for f in entry.function(ctx)]


def chat_answer(logprobs: bool) -> dict[str, Any]:
    content = [{"token": "Hi", "logprob": -0.1, "bytes": [72, 105], "top_logprobs": []}] if logprobs else None
    return {
        "id": "c",
        "object": "chat.completion",
        "created": 1,
        "model": "gpt-4o",
        "choices": [
            {
                "index": 0,
                "finish_reason": "stop",
                "message": {"role": "assistant", "content": "Hi"},
                "logprobs": {"content": content, "refusal": None} if logprobs else None,
            }
        ],
    }


@pytest.mark.parametrize("asked", [True, False])
def test_chat_logprobs_are_not_judged_as_legacy_completions(asked: bool) -> None:
    body = {"model": "gpt-4o", "messages": [{"role": "user", "content": "Hi"}], "logprobs": asked}
    assert failures("logprobs_shape", LATEST, "createChatCompletion", body, chat_answer(asked)) in (None, [])


def test_legacy_logprobs_with_too_many_alternatives_fail() -> None:
    body = {"model": "ada", "prompt": "Hi", "logprobs": 1}
    choice = {
        "text": " there",
        "index": 0,
        "finish_reason": "length",
        "logprobs": {
            "tokens": [" there"],
            "token_logprobs": [-1.0],
            "top_logprobs": [{" there": -1.0, " a": -2.0, " b": -3.0}],
            "text_offset": [2],
        },
    }
    answer = {"id": "c", "object": "text_completion", "created": 1, "model": "ada", "choices": [choice]}
    assert failures("logprobs_shape", SEED, "createCompletion", body, answer) == [
        "top_logprobs[0] has 3 entries for logprobs=1"
    ]


def embedding_answer(dimension: int, count: int = 1) -> dict[str, Any]:
    data = [{"object": "embedding", "index": i, "embedding": [0.0] * dimension} for i in range(count)]
    return {
        "object": "list",
        "model": "text-embedding-3-small",
        "data": data,
        "usage": {"prompt_tokens": 1, "total_tokens": 1},
    }


def test_embeddings_of_the_asked_dimensions_pass_and_others_fail() -> None:
    body = {"model": "text-embedding-3-small", "input": "hello", "dimensions": 256}
    assert failures("embedding_count_order_dimension", LATEST, "createEmbedding", body, embedding_answer(256)) == []
    assert failures("embedding_count_order_dimension", LATEST, "createEmbedding", body, embedding_answer(1536)) == [
        "Wrong embedding dimension"
    ]


def test_results_that_are_not_moderations_are_not_judged_as_moderations() -> None:
    answer = {"object": "eval.run.output_item", "results": [{"name": "grader", "passed": True, "score": 1.0}]}
    assert failures("moderation_results", LATEST, "getEvalRunOutputItem", {}, answer) is None


def test_a_moderation_flagged_without_a_category_fails() -> None:
    categories = dict.fromkeys(
        ("hate", "hate/threatening", "self-harm", "sexual", "sexual/minors", "violence", "violence/graphic"), False
    )
    scores = dict.fromkeys(categories, 0.01)
    answer = {
        "id": "m",
        "model": "text-moderation-latest",
        "results": [{"flagged": True, "categories": categories, "category_scores": scores}],
    }
    assert failures("moderation_results", SEED, "createModeration", {"input": "x"}, answer) == [
        "result 0: flagged=True but categories say False"
    ]


def completion(texts: list[str]) -> dict[str, Any]:
    return {
        "id": "c",
        "object": "text_completion",
        "created": 1,
        "model": "ada",
        "choices": [{"text": t, "index": i, "logprobs": None, "finish_reason": "stop"} for i, t in enumerate(texts)],
    }


def test_stop_with_echo_strips_each_choices_own_prompt() -> None:
    body = {"model": "ada", "prompt": ["Say this", "Say that"], "echo": True, "stop": [" "]}
    assert failures("stop_respected", SEED, "createCompletion", body, completion(["Say this!", "Say that!"])) == []
    assert failures("stop_respected", SEED, "createCompletion", body, completion(["Say this! x", "Say that!"])) == [
        "choice 0 contains the stop sequence ' '"
    ]


def test_echo_is_checked_against_each_choices_prompt() -> None:
    body = {"model": "ada", "prompt": ["one", "two"], "n": 2, "echo": True}
    right = completion(["one a", "one b", "two c", "two d"])
    assert failures("echo_respected", SEED, "createCompletion", body, right) == []
    wrong = completion(["one a", "two b", "two c", "two d"])
    assert failures("echo_respected", SEED, "createCompletion", body, wrong) == ["choice 1 does not echo its prompt"]


def _png_b64(width: int, height: int, kind: str = "PNG") -> str:
    import base64
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height)).save(out, format=kind)
    return base64.b64encode(out.getvalue()).decode()


@pytest.mark.parametrize(
    ("body", "item", "wrong"),
    [
        # the documented default model, dall-e-2, answers a URL unless asked otherwise
        ({"prompt": "x"}, {"url": "http://127.0.0.1:9/i.png"}, False),
        ({"prompt": "x"}, {"b64_json": "AAAA"}, True),
        # a GPT-image-only field without a model means a GPT image model: always base64
        ({"prompt": "x", "output_format": "jpeg", "size": "64x32"}, {"b64_json": _png_b64(64, 32, "JPEG")}, False),
        ({"prompt": "x", "output_format": "jpeg", "size": "64x32"}, {"b64_json": _png_b64(64, 32, "PNG")}, True),
        ({"prompt": "x", "model": "gpt-image-1", "size": "64x32"}, {"url": "http://127.0.0.1:9/i.png"}, True),
        ({"prompt": "x", "model": "gpt-image-1", "size": "64x32"}, {"b64_json": "not base64!"}, True),
    ],
)
def test_image_format_follows_the_documented_model_rule(
    body: dict[str, Any], item: dict[str, Any], wrong: bool
) -> None:
    found = failures("image_count_size_format", LATEST, "createImage", body, {"created": 1, "data": [item]})
    assert found is not None and bool(found) is wrong, found
