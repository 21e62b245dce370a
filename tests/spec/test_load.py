"""Loading every shipped document, and the one-line errors for bad input."""

from __future__ import annotations

import pytest

from openai_conformance.spec import SpecError, SpecErrorKind, load_spec, shipped_specs

EXPECTED_OPERATIONS = {
    "openai-1.1.0": 25,
    "openai-1.2.0": 28,
    "openai-1.3.0": 28,
    "openai-2.0.0": 23,
    "openai-2.3.0-2026-08-21": 288,
}


@pytest.mark.parametrize("name", shipped_specs())
def test_every_shipped_document_loads_and_is_indexed(name: str) -> None:
    spec = load_spec(name)
    assert len(spec.operations) == EXPECTED_OPERATIONS[name]
    assert spec.base_path == "/v1"
    ids = [op.operation_id for op in spec.operations]
    assert len(set(ids)) == len(ids)


def test_seed_index_has_what_the_document_says() -> None:
    spec = load_spec("openai-1.1.0")
    op = spec.operation("createCompletion")
    assert (op.method, op.path, op.deprecated) == ("POST", "/completions", False)
    assert set(op.request_body.content) == {"application/json"}
    assert set(op.responses) == {"200"}
    assert op.meta is not None and op.meta.group == "completions"
    assert set(op.meta.examples) == {"curl", "python", "node.js"}
    deprecated = {o.operation_id for o in spec.operations if o.deprecated}
    assert deprecated == {"listEngines", "retrieveEngine", "createSearch", "createAnswer", "createClassification"}
    file_op = spec.operation("createFile")
    assert set(file_op.request_body.content) == {"multipart/form-data"}
    retrieve = spec.operation("retrieveFile")
    assert [(p.name, p.location, p.required) for p in retrieve.parameters] == [("file_id", "path", True)]


def test_nullable_becomes_json_schema_null() -> None:
    spec = load_spec("openai-1.1.0")
    op = spec.operation("createCompletion")
    validator = spec.validator(op.request_body.content["application/json"].pointer)
    assert validator.is_valid({"model": "m", "logprobs": None, "max_tokens": None})
    # `model` is not nullable: null must fail exactly there.
    errors = list(validator.iter_errors({"model": None}))
    assert [list(e.absolute_path) for e in errors] == [["model"]]


def test_2_0_0_model_oneof_accepts_listed_ids() -> None:
    spec = load_spec("openai-2.0.0")
    op = spec.operation("createCompletion")
    validator = spec.validator(op.request_body.content["application/json"].pointer)
    assert validator.is_valid({"model": "text-davinci-003", "prompt": "x"})


def test_3_1_recursive_ref_is_followed() -> None:
    spec = load_spec("openai-2.3.0-2026-08-21")
    validator = spec.validator("/components/schemas/CompoundFilter")
    nested = {"type": "and", "filters": [{"type": "or", "filters": [{"type": "eq", "key": "a", "value": 1}]}]}
    assert validator.is_valid(nested)
    broken = {"type": "and", "filters": [{"type": "or", "filters": [{"nonsense": True}]}]}
    assert not validator.is_valid(broken)


@pytest.mark.parametrize(
    ("text", "kind", "fragment"),
    [
        ("openapi: 3.0.0\npaths: {a: [\n", SpecErrorKind.PARSE, "line "),
        ("swagger: '2.0'\npaths: {}\n", SpecErrorKind.NOT_OPENAPI, "'2.0'"),
        (
            "openapi: 3.0.0\npaths: {}\ncomponents:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n",
            SpecErrorKind.DANGLING_REF,
            "/components/schemas/A/$ref",
        ),
    ],
    ids=["invalid-yaml", "not-openapi", "dangling-ref"],
)
def test_bad_documents_raise_one_line_errors(tmp_path, text, kind, fragment) -> None:
    path = tmp_path / "doc.yaml"
    path.write_text(text)
    with pytest.raises(SpecError) as info:
        load_spec(str(path), cache=False)
    assert info.value.kind is kind
    assert fragment in str(info.value)
    assert "\n" not in str(info.value)


def test_missing_file_is_not_found() -> None:
    with pytest.raises(SpecError) as info:
        load_spec("/nonexistent/openai.yaml")
    assert info.value.kind is SpecErrorKind.NOT_FOUND


def test_relative_file_refs_are_folded_in(tmp_path) -> None:
    (tmp_path / "common.yaml").write_text(
        "Thing:\n  type: object\n  required: [id]\n  properties:\n"
        "    id: {type: string}\n    child: {$ref: '#/Thing'}\n"
    )
    (tmp_path / "main.yaml").write_text(
        "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /things:\n    get:\n"
        "      operationId: listThings\n      responses:\n        '200':\n          description: ok\n"
        "          content:\n            application/json:\n              schema: {$ref: 'common.yaml#/Thing'}\n"
    )
    spec = load_spec(str(tmp_path / "main.yaml"), cache=False)
    media = spec.operation("listThings").responses["200"].content["application/json"]
    validator = spec.validator(media.pointer)
    assert validator.is_valid({"id": "a", "child": {"id": "b"}})
    assert not validator.is_valid({"id": "a", "child": {"id": 3}})
