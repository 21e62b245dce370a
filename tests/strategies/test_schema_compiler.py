"""The schema compiler on constructs the seed lacks: one small document per construct,
loaded through spec/ like any other, drawn, validated (table-driven, ids name the construct)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from strategy_checks import violations
from test_negative import assert_breaks_only_its_rule

from openai_conformance.spec import Spec, load_spec
from openai_conformance.strategies import InvalidArgument, draw_cases, from_operation

NODE = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
    },
    "required": ["name", "children"],
}
CONSTRUCTS: dict[str, dict[str, Any]] = {
    "recursion": {"$ref": "#/components/schemas/Node"},
    "overlapping-oneOf": {
        "type": "object",
        "properties": {
            "v": {"oneOf": [{"type": "integer"}, {"type": "number", "minimum": 0, "maximum": 2}, {"type": "string"}]}
        },
        "required": ["v"],
    },
    "discriminated-oneOf": {
        "oneOf": [
            {"type": "object", "properties": {"type": {"const": "a"}, "x": {"type": "integer"}}, "required": ["type"]},
            {"type": "object", "properties": {"type": {"const": "b"}, "y": {"type": "string"}}, "required": ["type"]},
        ]
    },
    "allOf-extension": {
        "allOf": [
            {"$ref": "#/components/schemas/Node"},
            {"type": "object", "properties": {"extra": {"type": "boolean"}}, "required": ["extra"]},
        ]
    },
    "ref-with-siblings": {
        "type": "object",
        "properties": {"n": {"$ref": "#/components/schemas/Small", "description": "beside a $ref", "maximum": 3}},
    },
    "pattern": {
        "type": "object",
        "properties": {"id": {"type": "string", "pattern": "^tunnel_[a-z0-9]{32}$"}},
        "required": ["id"],
    },
    "not": {"type": "object", "properties": {"s": {"type": "string", "not": {"enum": ["forbidden"]}}}},
    "uniqueItems": {
        "type": "object",
        "properties": {
            "tags": {
                "type": "array",
                "uniqueItems": True,
                "minItems": 3,
                "items": {"type": "integer", "minimum": 0, "maximum": 5},
            }
        },
        "required": ["tags"],
    },
    "map": {
        "type": "object",
        "properties": {
            "metadata": {
                "type": "object",
                "maxProperties": 2,
                "additionalProperties": {"type": "string", "maxLength": 4},
            }
        },
        "required": ["metadata"],
    },
    "nullable-anyOf": {
        "type": "object",
        "properties": {
            "opt": {
                "anyOf": [
                    {"type": "object", "properties": {"k": {"type": "integer", "minimum": 5}}, "required": ["k"]},
                    {"type": "null"},
                ]
            }
        },
        "required": ["opt"],
        "additionalProperties": False,
    },
    "exclusive-bounds": {
        "type": "object",
        "properties": {"t": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1}},
        "required": ["t"],
    },
    "const-and-formats": {
        "type": "object",
        "properties": {
            "kind": {"const": "event"},
            "at": {"type": "string", "format": "date-time"},
            "url": {"type": "string", "format": "uri"},
        },
        "required": ["kind", "at", "url"],
    },
}


def one_operation_spec(tmp_path: Path, schema: dict[str, Any]) -> Spec:
    document = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "servers": [{"url": "http://localhost/v1"}],
        "paths": {
            "/things": {
                "post": {
                    "operationId": "createThing",
                    "requestBody": {"required": True, "content": {"application/json": {"schema": schema}}},
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
        "components": {"schemas": {"Node": NODE, "Small": {"type": "integer", "minimum": 1}}},
    }
    path = tmp_path / "doc.json"
    path.write_text(json.dumps(document))
    return load_spec(str(path), cache=False)


@pytest.mark.parametrize("construct", list(CONSTRUCTS))
def test_positive_cases_validate(tmp_path: Path, construct: str) -> None:
    spec = one_operation_spec(tmp_path, CONSTRUCTS[construct])
    op = spec.operations[0]
    cases = draw_cases(from_operation(spec, op), 100, seed=1)
    for case in cases:
        assert violations(spec, op, case) == [], case.json
    assert len({json.dumps(c.json, sort_keys=True) for c in cases}) > 3  # not one value forever


@pytest.mark.parametrize("construct", list(CONSTRUCTS))
def test_negative_cases_break_their_rule(tmp_path: Path, construct: str) -> None:
    spec = one_operation_spec(tmp_path, CONSTRUCTS[construct])
    for case in draw_cases(from_operation(spec, spec.operations[0], mode="negative"), 60, seed=2):
        assert_breaks_only_its_rule(spec, case)


def test_every_oneOf_branch_is_reached(tmp_path: Path) -> None:
    spec = one_operation_spec(tmp_path, CONSTRUCTS["overlapping-oneOf"])
    values = [c.json["v"] for c in draw_cases(from_operation(spec, spec.operations[0]), 100, seed=3)]
    assert {type(v).__name__ for v in values} == {"int", "float", "str"}
    assert all(not (isinstance(v, float) and v.is_integer()) for v in values)  # would match two


def test_recursion_ends_and_goes_deeper_than_one_level(tmp_path: Path) -> None:
    spec = one_operation_spec(tmp_path, CONSTRUCTS["recursion"])
    bodies = [c.json for c in draw_cases(from_operation(spec, spec.operations[0]), 100, seed=4)]
    assert any(child["children"] for b in bodies for child in b["children"])


def test_an_unsatisfiable_schema_is_reported_when_drawn(tmp_path: Path) -> None:
    spec = one_operation_spec(tmp_path, {"type": "string", "minLength": 5, "maxLength": 2})
    strategy = from_operation(spec, spec.operations[0])
    with pytest.raises(InvalidArgument, match="minLength=5 > maxLength=2"):
        draw_cases(strategy, 1, seed=0)
