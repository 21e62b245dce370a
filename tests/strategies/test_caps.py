"""Budget caps: no case asks for more than its caps, and caps narrow rather than filter."""

from __future__ import annotations

from typing import Any

import pytest
from strategy_checks import body_value, violations

from openai_conformance.spec import Spec, load_spec
from openai_conformance.strategies import Caps, InvalidArgument, draw_cases, from_operation, has_negative_cases

SEED = load_spec("openai-1.1.0")
POST_IDS = [op.operation_id for op in SEED.operations if op.request_body is not None]
PAID = Caps.paid()


def assert_within(caps: Caps, path: str, body: Any, broken: str = "") -> None:
    """``broken``: the property a negative case breaks (its value is no request for more)."""
    if not isinstance(body, dict):
        return
    body = {k: v for k, v in body.items() if f"/{k}" != broken}
    images = path.startswith("/images")
    limits = {
        "max_tokens": caps.max_tokens,
        "best_of": caps.best_of,
        "n": min(caps.n, caps.images) if images else caps.n,
    }
    for name, limit in limits.items():
        value = body.get(name)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            assert value <= limit, (name, value)
    for name, limit in (("prompt", caps.prompts), ("input", caps.inputs)):
        if isinstance(body.get(name), list):
            assert len(body[name]) <= limit, (name, body[name])
    if images and isinstance(body.get("size"), str):
        assert body["size"] == caps.image_size


@pytest.mark.parametrize("operation_id", POST_IDS)
@pytest.mark.parametrize("mode", ["positive", "negative"])
def test_no_case_exceeds_the_caps(seed_spec: Spec, operation_id: str, mode: str) -> None:
    op = seed_spec.operation(operation_id)
    if mode == "negative" and not has_negative_cases(seed_spec, op, caps=PAID):
        pytest.skip("nothing to break")
    for case in draw_cases(from_operation(seed_spec, op, mode=mode, caps=PAID), 150, seed=1):
        if case.json is not None or case.form is not None:
            broken = case.rule.pointer if case.rule else ""
            assert_within(PAID, op.path, body_value(seed_spec, op, case), broken)
        if mode == "positive":
            assert violations(seed_spec, op, case) == []


def test_caps_keep_every_prompt_form_reachable(seed_spec: Spec) -> None:
    op = seed_spec.operation("createCompletion")
    bodies = [c.json for c in draw_cases(from_operation(seed_spec, op, caps=PAID), 200, seed=2)]
    kinds = {type(b["prompt"]).__name__ for b in bodies if b.get("prompt") is not None}
    assert kinds == {"str", "list"}
    assert max(b.get("max_tokens") or 0 for b in bodies) == PAID.max_tokens  # the bound is drawn


def test_negative_cases_do_not_break_a_capped_maximum(seed_spec: Spec) -> None:
    op = seed_spec.operation("createCompletion")
    uncapped = draw_cases(from_operation(seed_spec, op, mode="negative"), 300, seed=3)
    capped = draw_cases(from_operation(seed_spec, op, mode="negative", caps=PAID), 300, seed=3)
    assert any(c.rule.pointer == "/n" and c.rule.name == "maximum" for c in uncapped)
    assert not any(c.rule.pointer == "/n" and c.rule.name == "maximum" for c in capped)


def test_an_unsatisfiable_optional_cap_leaves_the_property_out(seed_spec: Spec) -> None:
    op = seed_spec.operation("createCompletion")  # n has minimum 1
    bodies = [c.json for c in draw_cases(from_operation(seed_spec, op, caps=Caps(n=0)), 100, seed=4)]
    assert all(b.get("n") is None for b in bodies)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"n": -1}, "n=-1"), ({"max_tokens": "16"}, "max_tokens='16'"), ({"image_size": "big"}, "image_size='big'")],
)
def test_bad_caps_are_refused_with_their_value(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidArgument, match=message):
        Caps(**kwargs)
