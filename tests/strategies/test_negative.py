"""Negative cases break exactly one named rule, and nothing else."""

from __future__ import annotations

import io
import json

import pytest
from PIL import Image, UnidentifiedImageError
from strategy_checks import violations

from openai_conformance.spec import Spec, load_spec
from openai_conformance.strategies import Case, InvalidArgument, draw_cases, from_operation, has_negative_cases

SEED = load_spec("openai-1.1.0")
WITH_RULES = [op.operation_id for op in SEED.operations if has_negative_cases(SEED, op)]
WITHOUT_RULES = [op.operation_id for op in SEED.operations if not has_negative_cases(SEED, op)]
WIRE_RULES = ("not_json", "content_type", "not_an_image")


def assert_breaks_only_its_rule(spec: Spec, case: Case) -> None:
    """The property: the case is invalid, at the rule's pointer, by the rule's keyword only."""
    op = spec.operation(case.operation_id)
    rule = case.rule
    assert rule is not None and case.mode == f"negative:{rule.name}"
    found = violations(spec, op, case)
    if rule.name == "not_an_image":
        assert found == []  # the schema says "binary": only the API's rule is broken
        part = case.form[rule.pointer.lstrip("/")]
        part = part[0] if isinstance(part, list) else part  # an array of images: the first
        with pytest.raises(UnidentifiedImageError):
            Image.open(io.BytesIO(part.content))
        return
    assert found, f"{rule} broke nothing: {case}"
    assert all(pointer == rule.pointer for pointer, _ in found), (rule, found)
    # One value at one place; a wrong type in an enum also misses the enum, hence "any".
    assert any(rule.name in keywords for _, keywords in found), (rule, found)
    if rule.name == "content_type":
        # Sent with the wrong type, but the body itself is a valid one.
        assert json.loads(case.raw_body) is not None
        documented = op.request_body.content
        media = next(iter(documented))
        if media == "application/json":
            sent = case.__class__(**{**case.__dict__, "media_type": media})
            assert violations(spec, op, sent) == []


@pytest.mark.parametrize("operation_id", WITH_RULES)
def test_every_negative_case_of_the_seed_breaks_only_its_rule(seed_spec: Spec, operation_id: str) -> None:
    op = seed_spec.operation(operation_id)
    cases = draw_cases(from_operation(seed_spec, op, mode="negative"), 150, seed=1)
    for case in cases:
        assert_breaks_only_its_rule(seed_spec, case)


def test_the_seed_covers_every_rule_kind(seed_spec: Spec) -> None:
    seen = set()
    for operation_id in WITH_RULES:
        strategy = from_operation(seed_spec, seed_spec.operation(operation_id), mode="negative")
        seen |= {c.rule.name for c in draw_cases(strategy, 150, seed=2)}
    expected = {
        "required",
        "type",
        "minimum",
        "maximum",
        "minLength",
        "maxLength",
        "enum",
        "minItems",
        "maxItems",
        "additionalProperties",
        *WIRE_RULES,
    }
    assert expected <= seen


def test_a_required_multipart_part_can_be_missing(seed_spec: Spec) -> None:
    op = seed_spec.operation("createImageEdit")
    cases = draw_cases(from_operation(seed_spec, op, mode="negative"), 200, seed=3)
    missing = [c for c in cases if c.rule.name == "required" and c.rule.pointer == "/image"]
    assert missing and all("image" not in c.form for c in missing)


def test_not_json_is_sent_raw_with_the_json_content_type(seed_spec: Spec) -> None:
    op = seed_spec.operation("createCompletion")
    cases = draw_cases(from_operation(seed_spec, op, mode="negative"), 200, seed=4)
    raw = [c for c in cases if c.rule.name == "not_json"]
    assert raw
    for case in raw:
        assert case.media_type == "application/json" and case.json is None
        with pytest.raises(ValueError):
            json.loads(case.raw_body)


NESTED = """
openapi: 3.0.0
info: {title: nested, version: "1"}
paths:
  /things:
    post:
      operationId: createThing
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [name]
              properties:
                name: {type: string}
                options:
                  type: object
                  required: [level]
                  properties:
                    level: {type: integer}
                    label: {type: string}
      responses:
        "200": {description: OK}
"""


def test_nested_rules_keep_the_parents_valid(tmp_path) -> None:
    # A rule of an optional parent's property is broken inside that parent: the parent is
    # added where the draw left it out, and nothing else about the body is wrong.
    path = tmp_path / "nested.yaml"
    path.write_text(NESTED)
    spec = load_spec(str(path), cache=False)
    op = spec.operation("createThing")
    cases = draw_cases(from_operation(spec, op, mode="negative"), 80, seed=5)
    nested = [c for c in cases if c.rule.pointer == "/options/level"]
    assert {c.rule.name for c in nested} == {"required", "type"}
    for case in nested:
        assert isinstance(case.json.get("options"), dict), case.json
        assert isinstance(case.json.get("name"), str), case.json
        assert_breaks_only_its_rule(spec, case)


@pytest.mark.parametrize("operation_id", WITHOUT_RULES)
def test_operations_with_nothing_to_break_say_so_when_drawn(seed_spec: Spec, operation_id: str) -> None:
    op = seed_spec.operation(operation_id)
    assert not op.parameters_in("query") and op.request_body is None
    strategy = from_operation(seed_spec, op, mode="negative")  # building is fine: errors are deferred
    with pytest.raises(InvalidArgument, match="has_negative_cases"):
        draw_cases(strategy, 1, seed=0)


def test_an_unknown_mode_is_refused(seed_spec: Spec) -> None:
    with pytest.raises(InvalidArgument, match="mode='fuzzy'"):
        from_operation(seed_spec, seed_spec.operations[0], mode="fuzzy")


def test_a_broken_value_does_not_also_break_a_rule_between_properties(seed_spec: Spec) -> None:
    op = seed_spec.operation("createSearch")
    cases = draw_cases(from_operation(seed_spec, op, mode="negative"), 300, seed=6)
    broken = [c for c in cases if c.rule.pointer == "/documents" and c.json is not None]
    assert broken and all(c.json.get("file") is None for c in broken)
