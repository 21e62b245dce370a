"""Properties of ``spec diff``: no change with itself, none for renamed or moved
schemas, and exactly one breaking change for one added required property."""

from __future__ import annotations

import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openai_conformance.spec import diff_specs, load_spec, shipped_specs, spec_from_document
from openai_conformance.spec._refs import escape, lookup, walk_refs

SMALL = ["openai-1.1.0", "openai-1.2.0", "openai-1.3.0", "openai-2.0.0"]
FAST = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
names = st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,8}", fullmatch=True)


@pytest.mark.parametrize("name", shipped_specs())
def test_a_document_diffed_with_itself_is_empty(name) -> None:
    spec = load_spec(name)
    assert diff_specs(spec, spec).changes == []


@pytest.mark.parametrize("name", SMALL)
def test_a_document_diffed_with_a_fresh_copy_is_empty(name) -> None:
    spec = load_spec(name)
    assert diff_specs(spec, spec_from_document(spec.raw, "copy")).changes == []


def _rename_components(raw: dict, rename) -> None:
    """Rename every component (schemas, parameters, ...) and rewrite each `$ref` to it."""
    moves: dict[str, str] = {}
    for section, members in (raw.get("components") or {}).items():
        if not isinstance(members, dict):
            continue
        renamed = {}
        for old_name, value in members.items():
            new_name = rename(old_name)
            moves[f"#/components/{section}/{escape(old_name)}"] = f"#/components/{section}/{escape(new_name)}"
            renamed[new_name] = value
        raw["components"][section] = renamed
    for _, holder in list(walk_refs(raw)):
        ref = holder["$ref"]
        base = next((m for m in moves if ref == m or ref.startswith(m + "/")), None)
        if base is not None:
            holder["$ref"] = moves[base] + ref[len(base) :]


def _inline(raw: dict, pointers: list[str]) -> None:
    """Replace each `schema: {$ref}` at ``pointers`` by a copy of its target."""
    for pointer in pointers:
        holder = lookup(raw, pointer)
        ref = holder["schema"].get("$ref")
        if ref:
            holder["schema"] = copy.deepcopy(lookup(raw, ref[1:]))


def _media_pointers(spec) -> list[str]:
    out = []
    for op in spec.operations:
        bodies = [
            *(op.request_body.content.values() if op.request_body else ()),
            *(m for r in op.responses.values() for m in r.content.values()),
        ]
        out += [m.pointer.removesuffix("/schema") for m in bodies if m.pointer.startswith(op.pointer)]
    return out


@FAST
@given(name=st.sampled_from(SMALL), prefix=names, suffix=names, data=st.data())
def test_renamed_or_moved_schemas_are_not_changes(name, prefix, suffix, data) -> None:
    spec = load_spec(name)
    raw = copy.deepcopy(spec.raw)
    pointers = data.draw(st.lists(st.sampled_from(_media_pointers(spec)), unique=True, max_size=5))
    _inline(raw, pointers)  # a component written out in place: "moved" out of components
    _rename_components(raw, lambda n: f"{prefix}{n}{suffix}")
    changed = spec_from_document(raw, "renamed")
    if pointers or prefix or suffix:
        assert changed.document != spec.document
    assert diff_specs(spec, changed).changes == []
    assert diff_specs(changed, spec).changes == []


@FAST
@given(name=st.sampled_from(SMALL), data=st.data())
def test_one_added_required_request_property_is_exactly_one_breaking_change(name, data) -> None:
    spec = load_spec(name)
    candidates = [op for op in spec.operations if op.request_body and "application/json" in op.request_body.content]
    op = data.draw(st.sampled_from(candidates), label="operation")
    media = op.request_body.content["application/json"]
    raw = copy.deepcopy(spec.raw)
    holder = lookup(raw, media.pointer.removesuffix("/schema"))
    schema = holder["schema"]
    if "$ref" in schema:
        schema = copy.deepcopy(lookup(raw, schema["$ref"][1:]))
    taken = set(schema.get("properties") or {})
    prop = data.draw(names.filter(lambda n: n not in taken), label="property")
    kind = data.draw(st.sampled_from(["string", "integer", "boolean", "object"]), label="type")
    schema.setdefault("properties", {})[prop] = {"type": kind}
    schema["required"] = [*(schema.get("required") or []), prop]
    holder["schema"] = schema
    diff = diff_specs(spec, spec_from_document(raw, "added"))
    assert [(c.kind, c.operation_id, c.breaking_for_client, c.breaking_for_server) for c in diff.changes] == [
        ("request_property_added_required", op.operation_id, True, False)
    ]
    assert diff.changes[0].new_pointer.endswith(f"/properties/{escape(prop)}")
