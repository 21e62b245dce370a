"""The public face of strategies/: the names the runner codes against, and nothing else."""

from __future__ import annotations

import inspect

from openai_conformance import strategies

PUBLIC = {
    "Caps",
    "Case",
    "CaseStrategy",
    "FilePart",
    "InvalidArgument",
    "NegativeRule",
    "Pools",
    "POOLED_NAMES",
    "curl_fields",
    "decode_form",
    "draw_case",
    "draw_cases",
    "encode_form",
    "from_operation",
    "has_negative_cases",
    "keep_hypothesis_files_in_the_cache",
    "related_names",
}


def test_exports_are_exactly_the_public_names() -> None:
    assert set(strategies.__all__) == PUBLIC
    assert all(hasattr(strategies, name) for name in PUBLIC)


def test_signatures_the_runner_relies_on() -> None:
    params = inspect.signature(strategies.from_operation).parameters
    assert list(params) == ["spec", "operation", "mode", "caps", "pools"]
    assert all(params[p].kind is inspect.Parameter.KEYWORD_ONLY for p in ("mode", "caps", "pools"))
    assert params["mode"].default == "positive"
    assert list(inspect.signature(strategies.draw_cases).parameters) == ["strategy", "count", "seed"]
    assert list(inspect.signature(strategies.draw_case).parameters) == ["strategy", "seed"]


def test_caps_paid_defaults() -> None:
    assert strategies.Caps.paid() == strategies.Caps(
        max_tokens=16, n=2, best_of=2, prompts=2, inputs=4, images=1, image_size="256x256"
    )


def test_invalid_argument_is_hypothesis_invalid_argument() -> None:
    from hypothesis.errors import InvalidArgument

    assert issubclass(strategies.InvalidArgument, InvalidArgument)
