"""``allOf`` folded into one schema, and ``$ref`` with siblings read as both.

Generating from a merged schema is exact for what the OpenAI documents do with
``allOf`` (objects extended by properties); what cannot be merged is reported so
that the caller checks drawn values against the validator instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ._types import Schema

_LOWER_BOUNDS = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
_UPPER_BOUNDS = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")


class MergeConflict(ValueError):
    """Two ``allOf`` branches say different things the merger cannot reconcile."""


def _types(schema: dict[str, Any]) -> set[str] | None:
    found = schema.get("type")
    if found is None:
        return None
    return {found} if isinstance(found, str) else set(found)


def merge(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """One schema accepting exactly what both ``a`` and ``b`` accept (for the keywords we know)."""
    out = dict(a)
    for key, value in b.items():
        if key not in out:
            out[key] = value
        elif key == "properties":
            props = dict(out[key])
            for name, sub in value.items():
                props[name] = {"allOf": [props[name], sub]} if name in props else sub
            out[key] = props
        elif key == "required":
            out[key] = list(dict.fromkeys([*out[key], *value]))
        elif key == "type":
            both = (_types(out) or set()) & (_types(b) or set())
            if not both:
                raise MergeConflict(f"type={out[key]!r} and type={value!r}")
            out[key] = sorted(both)
        elif key == "enum":
            out[key] = [v for v in out[key] if v in value]
        elif key in _LOWER_BOUNDS:
            out[key] = max(out[key], value)
        elif key in _UPPER_BOUNDS:
            out[key] = min(out[key], value)
        elif key in ("anyOf", "oneOf", "allOf", "not", "items", "additionalProperties"):
            if out[key] != value:
                raise MergeConflict(f"two {key} to merge")
        elif key == "const" and out[key] != value:
            raise MergeConflict(f"const={out[key]!r} and const={value!r}")
    return out


def flatten(schema: Schema, resolve: Callable[[Any], Any]) -> Schema:
    """``schema`` with its ``$ref`` (and siblings) and ``allOf`` merged away, at the top level."""
    if not isinstance(schema, dict):
        return schema
    seen: set[str] = set()
    while "$ref" in schema:
        ref = schema["$ref"]
        if ref in seen:
            break
        seen.add(ref)
        target = resolve({"$ref": ref})
        siblings = {k: v for k, v in schema.items() if k != "$ref"}
        schema = merge(target, siblings) if isinstance(target, dict) else target
        if not isinstance(schema, dict):
            return schema
    if "allOf" in schema:
        rest = {k: v for k, v in schema.items() if k != "allOf"}
        for branch in schema["allOf"]:
            rest = merge(rest, flatten(branch, resolve))
        return flatten(rest, resolve) if "$ref" in rest or "allOf" in rest else rest
    return schema
