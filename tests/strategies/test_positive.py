"""Positive cases of the seed: valid against the normalized request schema, every branch reached."""

from __future__ import annotations

import pytest
from strategy_checks import body_value, violations

from openai_conformance.spec import Spec, load_spec
from openai_conformance.strategies import Case, FilePart, draw_cases, from_operation

SEED = load_spec("openai-1.1.0")
SEED_IDS = [op.operation_id for op in SEED.operations]


@pytest.mark.parametrize("operation_id", SEED_IDS)
def test_every_positive_case_of_the_seed_is_valid(seed_spec: Spec, operation_id: str) -> None:
    op = seed_spec.operation(operation_id)
    cases = draw_cases(from_operation(seed_spec, op), 100, seed=1)
    assert len(cases) == 100
    for case in cases:
        assert (case.operation_id, case.method, case.mode) == (operation_id, op.method, "positive")
        assert not case.path.startswith("/v1") and "{" not in case.path
        assert violations(seed_spec, op, case) == [], case


def _prompt_form(prompt: object) -> str:
    if isinstance(prompt, str):
        return "string"
    assert isinstance(prompt, list)
    if prompt and all(isinstance(p, list) for p in prompt):
        return "token arrays"
    if prompt and all(isinstance(p, int) for p in prompt):
        return "tokens"
    return "strings"


def test_all_prompt_and_stop_forms_appear_in_200_cases(seed_spec: Spec) -> None:
    op = seed_spec.operation("createCompletion")
    bodies = [c.json for c in draw_cases(from_operation(seed_spec, op), 200, seed=0)]
    prompts = {_prompt_form(b["prompt"]) for b in bodies if b.get("prompt") is not None}
    stops = {type(b["stop"]).__name__ for b in bodies if b.get("stop") is not None}
    assert prompts == {"string", "strings", "tokens", "token arrays"}
    assert stops == {"str", "list"}


def test_optional_properties_are_sometimes_sent_and_sometimes_not(seed_spec: Spec) -> None:
    op = seed_spec.operation("createCompletion")
    bodies = [c.json for c in draw_cases(from_operation(seed_spec, op), 100, seed=2)]
    schema = seed_spec.resolve(op.request_body.content["application/json"].schema)
    assert schema["required"] == ["model"]
    assert all("model" in b for b in bodies)
    for name in set(schema["properties"]) - {"model"}:
        sent = sum(name in b for b in bodies)
        assert 0 < sent < 100, name


def test_multipart_parts_carry_names_filenames_and_content_types_or_none(seed_spec: Spec) -> None:
    op = seed_spec.operation("createImageEdit")
    for case in draw_cases(from_operation(seed_spec, op), 30, seed=3):
        assert case.media_type == "multipart/form-data" and case.json is None
        assert case.form is not None and {"image", "prompt"} <= set(case.form)
        image = case.form["image"]
        assert isinstance(image, FilePart)
        assert image.filename.endswith(".png") and image.content_type in ("image/png", None)  # None: no Content-Type
        assert all(isinstance(v, (str, FilePart)) for v in case.form.values())
        assert body_value(seed_spec, op, case)["image"] == image.filename


QUOTED = """
openapi: 3.0.0
info: {title: quoted, version: "1"}
paths:
  /models/{model}:
    get:
      operationId: getModel
      parameters:
        - {name: model, in: path, required: true, schema: {type: string, enum: ["ft:a/b c?d#e%f", "plain"]}}
      responses:
        "200": {description: OK}
"""


def test_path_parameters_are_filled_in_and_quoted(tmp_path) -> None:
    # a value with '/', ' ', '?', '#' and '%' stays one path segment, percent-encoded
    path = tmp_path / "quoted.yaml"
    path.write_text(QUOTED)
    spec = load_spec(str(path), cache=False)
    cases = draw_cases(from_operation(spec, spec.operation("getModel")), 30, seed=4)
    paths = {c.path_parameters["model"]: c.path for c in cases}
    assert paths == {"ft:a/b c?d#e%f": "/models/ft:a%2Fb%20c%3Fd%23e%25f", "plain": "/models/plain"}


def test_query_parameters_are_python_values(seed_spec: Spec) -> None:
    op = seed_spec.operation("listFineTuneEvents")
    values = {c.query["stream"] for c in draw_cases(from_operation(seed_spec, op), 60, seed=5) if "stream" in c.query}
    assert values == {True, False}


def test_streams_follows_the_stream_property(seed_spec: Spec) -> None:
    op = seed_spec.operation("createCompletion")
    cases: list[Case] = draw_cases(from_operation(seed_spec, op), 100, seed=6)
    assert {c.streams for c in cases} == {True, False}
    assert all(c.streams == (c.json.get("stream") is True) for c in cases)


@pytest.mark.parametrize(
    ("operation_id", "name", "low", "high"),
    [
        ("createAnswer", "temperature", 0, 2),
        ("createFineTune", "learning_rate_multiplier", 0.02, 0.2),
        ("createFineTune", "n_epochs", 1, 4),
        ("createCompletion", "max_tokens", 1, 512),
    ],
)
def test_values_stay_in_realistic_ranges_the_schema_leaves_open(
    seed_spec: Spec, operation_id: str, name: str, low: float, high: float
) -> None:
    op = seed_spec.operation(operation_id)
    found = [c.json.get(name) for c in draw_cases(from_operation(seed_spec, op), 200, seed=7)]
    found = [v for v in found if v is not None]
    assert found and all(low <= v <= high for v in found), (min(found), max(found))
    assert low in found and high in found  # the bounds themselves are drawn


def test_rules_between_properties_hold(seed_spec: Spec) -> None:
    search = [c.json for c in draw_cases(from_operation(seed_spec, seed_spec.operation("createSearch")), 100, seed=8)]
    sent = [tuple(b.get(n) is not None for n in ("documents", "file")) for b in search]
    assert set(sent) == {(True, False), (False, True)}  # either documents or a file, never both
    completions = draw_cases(from_operation(seed_spec, seed_spec.operation("createCompletion")), 200, seed=8)
    pairs = [(b.get("best_of"), b.get("n")) for b in (c.json for c in completions)]
    assert all(best >= n for best, n in pairs if best is not None and n is not None)
    assert any(best is not None and n is not None for best, n in pairs)


@pytest.mark.parametrize("operation_id", ["createChatCompletion", "createResponse"])
def test_a_tool_choice_names_one_of_the_tools(operation_id: str) -> None:
    from openai_conformance.spec import load_spec
    from openai_conformance.strategies._relations import _function_name

    spec = load_spec("openai-2.3.0-2026-08-21")
    bodies = [c.json for c in draw_cases(from_operation(spec, spec.operation(operation_id)), 150, seed=9)]
    named = [(_function_name(b.get("tool_choice")), b.get("tools") or []) for b in bodies]
    named = [(name, {_function_name(t) for t in tools}) for name, tools in named if name is not None]
    assert named and all(name in offered for name, offered in named)
