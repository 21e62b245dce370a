"""What JSON types a schema admits, and which ``oneOf`` branches can share a value.

A ``oneOf`` whose branches are apart (by type, or by a discriminating property)
can be drawn from any branch without a check; the rest need the validator.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from ._types import Schema

_INFERRED_TYPES = (  # keyword -> the type it implies when a schema gives none
    ("properties", "object"),
    ("additionalProperties", "object"),
    ("required", "object"),
    ("items", "array"),
    ("prefixItems", "array"),
    ("minItems", "array"),
    ("minLength", "string"),
    ("maxLength", "string"),
    ("pattern", "string"),
    ("format", "string"),
    ("minimum", "number"),
    ("maximum", "number"),
)


def schema_types(schema: dict[str, Any]) -> list[str] | None:
    """The JSON types a (flattened) schema allows by its ``type`` or its keywords; None: any."""
    found = schema.get("type")
    if isinstance(found, str):
        return [found]
    if isinstance(found, list):
        return list(found)
    for keyword, implied in _INFERRED_TYPES:
        if keyword in schema:
            return [implied]
    return None


def _tags(schema: Schema, flat: Callable[[Schema], Schema], depth: int = 0) -> dict[str, tuple[set[str], bool]]:
    """Properties with fixed values (a discriminator): name -> (values allowed, required).

    A oneOf/anyOf of tagged branches is tagged by what all its branches share.
    """
    if not isinstance(schema, dict):
        return {}
    for keyword in ("oneOf", "anyOf"):
        if keyword in schema and "properties" not in schema and depth < 4:
            parts = [_tags(flat(b), flat, depth + 1) for b in schema[keyword]]
            names = set.intersection(*(set(p) for p in parts)) if parts else set()
            return {n: (set().union(*(p[n][0] for p in parts)), all(p[n][1] for p in parts)) for n in names}
    props = schema.get("properties") or {}
    required = set(schema.get("required") or ())
    out = {}
    for name, sub in props.items():
        sub = sub if isinstance(sub, dict) else {}
        values = [sub["const"]] if "const" in sub else sub.get("enum")
        if isinstance(values, list):
            out[name] = ({json.dumps(v) for v in values}, name in required)
    return out


def _kinds(branch: Schema) -> set[str] | None:
    if not isinstance(branch, dict) or "anyOf" in branch or "oneOf" in branch:
        return None
    types = schema_types(branch)
    if types is None:
        return None
    return set(types) | ({"number"} if "integer" in types else set())


def overlaps(branches: list[Schema], flat: Callable[[Schema], Schema]) -> list[list[int]]:
    """For each branch, the other branches a value of it might also match.

    Two branches cannot share a value when their types are apart, or when a required
    property has disjoint fixed values in each (the discriminator pattern).
    """
    kinds = [_kinds(b) for b in branches]
    tags = [_tags(b, flat) for b in branches]

    def apart(i: int, j: int) -> bool:
        left, right = kinds[i], kinds[j]
        if left is not None and right is not None and not left & right:
            return True
        # A property one branch requires with values the other branch's property refuses.
        return any(
            not tags[i][name][0] & tags[j][name][0] and (tags[i][name][1] or tags[j][name][1])
            for name in tags[i].keys() & tags[j].keys()
        )

    count = len(branches)
    return [[j for j in range(count) if j != i and not apart(i, j)] for i in range(count)]
