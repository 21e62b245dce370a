"""Each schema rule of ``spec diff`` on a one-operation document, both directions."""

from __future__ import annotations

import pytest

from openai_conformance.spec import diff_specs, spec_from_document


def _doc(request: dict, response: dict | None = None, components: dict | None = None, version: str = "3.0.0") -> dict:
    return {
        "openapi": version,
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/x": {
                "post": {
                    "operationId": "createX",
                    "requestBody": {"required": True, "content": {"application/json": {"schema": request}}},
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": response or {"type": "object"}}},
                        }
                    },
                }
            }
        },
        "components": {"schemas": components or {}},
    }


def _body(**properties) -> dict:
    return {"type": "object", "properties": properties}


def _kinds(old: dict, new: dict) -> list[tuple[str, bool, bool]]:
    diff = diff_specs(spec_from_document(old), spec_from_document(new))
    return [(c.kind, c.breaking_for_client, c.breaking_for_server) for c in diff.changes]


STRING = {"type": "string"}
CASES = [
    (
        "enum-values",
        _body(a={"type": "string", "enum": ["x", "y"]}),
        _body(a={"type": "string", "enum": ["y", "z"]}),
        [("request_enum_values_removed", True, False), ("request_enum_values_added", False, True)],
    ),
    (
        "max-lowered",
        _body(a={"type": "integer", "maximum": 10}),
        _body(a={"type": "integer", "maximum": 5}),
        [("request_bound_tightened", True, False)],
    ),
    (
        "min-length-dropped",
        _body(a={"type": "string", "minLength": 1}),
        _body(a=STRING),
        [("request_bound_relaxed", False, True)],
    ),
    (
        "integer-to-number",
        _body(a={"type": "integer"}),
        _body(a={"type": "number"}),
        [("request_type_widened", False, True)],
    ),
    ("string-to-integer", _body(a=STRING), _body(a={"type": "integer"}), [("request_type_changed", True, True)]),
    (
        "nullable-added",
        _body(a=STRING),
        _body(a={"type": "string", "nullable": True}),
        [("request_nullable_added", False, True)],
    ),
    (
        "format-added",
        _body(a=STRING),
        _body(a={"type": "string", "format": "uri"}),
        [("request_format_added", True, False)],
    ),
    (
        "string-to-alternatives",
        _body(a=STRING),
        _body(a={"anyOf": [STRING, {"type": "integer"}]}),
        [("request_branch_added", False, True)],
    ),
    (
        "alternatives-to-string",
        _body(a={"anyOf": [STRING, {"type": "integer"}]}),
        _body(a=STRING),
        [("request_branch_removed", True, False)],
    ),
    (
        "string-to-unrelated",
        _body(a=STRING),
        _body(a={"anyOf": [{"type": "integer"}, {"type": "boolean"}]}),
        [("request_composition_changed", True, True)],
    ),
    ("optional-added", _body(a=STRING), _body(a=STRING, b=STRING), [("request_property_added_optional", False, False)]),
    ("removed", _body(a=STRING, b=STRING), _body(a=STRING), [("request_property_removed", True, False)]),
    (
        "items-retyped",
        _body(a={"type": "array", "items": STRING}),
        _body(a={"type": "array", "items": {"type": "integer"}}),
        [("request_type_changed", True, True)],
    ),
]


@pytest.mark.parametrize(("old", "new", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_request_schema_rules(old, new, expected) -> None:
    assert _kinds(_doc(old), _doc(new)) == expected


def test_response_side_reads_the_same_change_the_other_way() -> None:
    old, new = _doc(_body(), _body(a=STRING)), _doc(_body(), _body(a={"type": "string", "enum": ["x"]}))
    assert _kinds(old, new) == [("response_enum_added", False, True)]
    assert _kinds(new, old) == [("response_enum_removed", True, False)]
    required = _doc(_body(), {**_body(a=STRING), "required": ["a"]})
    assert _kinds(_doc(_body(), _body(a=STRING)), required) == [("response_property_made_required", False, True)]


def test_spellings_of_the_same_schema_are_not_changes() -> None:
    plain = _doc(_body(a={"type": "string", "nullable": True}, b={"type": "integer"}))
    # 3.1: null as anyOf; the object split in allOf parts, one of them a component
    spelled = _doc(
        {
            "allOf": [
                {"$ref": "#/components/schemas/Part"},
                {"type": "object", "properties": {"b": {"type": "integer"}}},
            ]
        },
        components={"Part": _body(a={"anyOf": [STRING, {"type": "null"}]})},
        version="3.1.0",
    )
    assert _kinds(plain, spelled) == []
    assert _kinds(spelled, plain) == []


def test_recursive_schemas_end() -> None:
    def tree(leaf: dict) -> dict:
        return _doc(
            {"$ref": "#/components/schemas/Node"},
            components={
                "Node": _body(value=leaf, children={"type": "array", "items": {"$ref": "#/components/schemas/Node"}})
            },
        )

    assert _kinds(tree(STRING), tree(STRING)) == []
    assert _kinds(tree(STRING), tree({"type": "integer"})) == [("request_type_changed", True, True)]


def _get(path: str, parameters: list[dict]) -> dict:
    return {
        "openapi": "3.0.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            path: {
                "get": {
                    "operationId": "getThing",
                    "parameters": parameters,
                    "responses": {"204": {"description": "none"}},
                }
            }
        },
    }


def test_path_parameter_renamed_is_not_a_change_but_query_parameters_are() -> None:
    old = _get(
        "/things/{thing_id}",
        [
            {"name": "thing_id", "in": "path", "required": True, "schema": STRING},
            {"name": "limit", "in": "query", "schema": {"type": "integer"}},
        ],
    )
    new = _get(
        "/things/{id}",
        [
            {"name": "id", "in": "path", "required": True, "schema": STRING},
            {"name": "limit", "in": "query", "required": True, "schema": {"type": "integer", "maximum": 100}},
            {"name": "order", "in": "query", "schema": STRING},
        ],
    )
    assert _kinds(old, new) == [
        ("parameter_made_required", True, False),
        ("parameter_bound_tightened", True, False),
        ("parameter_added_optional", False, False),
    ]
