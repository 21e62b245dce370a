"""Every schema of the seed: what hypothesis-jsonschema generates from the
normalized schema validates against ``spec.validator``, and null validates
exactly where the raw document says ``nullable: true``."""

from __future__ import annotations

from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from openai_conformance.spec import load_spec
from openai_conformance.spec._refs import lookup
from openai_conformance.spec._walk import iter_schemas


@cache
def _seed():
    return load_spec("openai-1.1.0")


def _pointers() -> list[str]:
    spec = _seed()
    found = [f"/components/schemas/{name}" for name in spec.document["components"]["schemas"]]
    for op in spec.operations:
        found += [p.pointer for p in op.parameters]
        bodies = [
            *(op.request_body.content.values() if op.request_body else ()),
            *(m for r in op.responses.values() for m in r.content.values()),
        ]
        found += [m.pointer for m in bodies if m.schema is not None]
    # an operation's `{$ref: component}` is that component: generate it once
    return sorted({p for p in found if set(spec.at(p)) != {"$ref"}})


def _inline(document, node, stack=()):
    """A self-contained copy of ``node`` for hypothesis-jsonschema (the seed has no cycles)."""
    if isinstance(node, dict):
        if "$ref" in node:
            ref = node["$ref"]
            assert ref not in stack, f"recursive schema {ref}"
            return _inline(document, lookup(document, ref[1:]), (*stack, ref))
        return {k: _inline(document, v, stack) for k, v in node.items() if not k.startswith("x-")}
    if isinstance(node, list):
        return [_inline(document, v, stack) for v in node]
    return node


@cache
def _strategy(pointer: str) -> st.SearchStrategy:
    spec = _seed()
    return from_schema(_inline(spec.document, spec.at(pointer)))


POINTERS = _pointers()


def test_every_schema_is_covered() -> None:
    # 32 component schemas, plus the operations' own: the seed's bodies are all
    # $refs to components but downloadFile's (an inline string), so those left
    # are the parameters' inline schemas.
    assert len([p for p in POINTERS if p.startswith("/components/schemas/")]) == 32
    inline = [p for p in POINTERS if not p.startswith("/components/")]
    assert len([p for p in inline if "/parameters/" in p]) == 11
    assert [p for p in inline if "/parameters/" not in p] == [
        "/paths/~1files~1{file_id}~1content/get/responses/200/content/application~1json/schema"
    ]


@pytest.mark.parametrize("pointer", POINTERS)
@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_generated_values_validate(pointer, data) -> None:
    value = data.draw(_strategy(pointer))
    errors = [e.message for e in _seed().validator(pointer).iter_errors(value)]
    assert errors == []


def test_null_validates_exactly_where_nullable_allows_it() -> None:
    spec = _seed()
    checked = 0
    for pointer, raw in iter_schemas(spec.raw):
        nullable = raw.get("nullable") is True
        if "type" not in raw and not nullable:
            continue  # an untyped schema says nothing about null
        try:
            lookup(spec.document, pointer)
        except KeyError:
            # inside a nullable oneOf, which normalization wrapped in anyOf [..., null]
            continue
        assert spec.validator(pointer).is_valid(None) is nullable, pointer
        checked += 1
    assert checked > 250
