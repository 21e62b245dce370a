"""A minimal valid instance of a JSON schema, made deterministically: what a tool
call's ``arguments`` and a strict ``json_schema`` answer hold."""

from __future__ import annotations

from typing import Any

from openai_conformance.spec import lookup_pointer

from ._text import generate

_MAX_DEPTH = 12  # recursive schemas stop here (with the shortest branch)
_DEFAULTS: dict[str, Any] = {"null": None, "boolean": True, "object": {}, "array": []}


def instance(schema: Any, seed: int, *, root: Any = None, depth: int = 0) -> Any:
    """A value valid against ``schema`` (local ``#/...`` refs resolved against ``root``).

    Every required property is given (all properties when none is marked required
    is not needed: an object without them is valid); strings are words from ``seed``.
    """
    root = schema if root is None else root
    if not isinstance(schema, dict):
        return "x"
    if "$ref" in schema:
        return instance(_resolve(root, schema["$ref"]), seed, root=root, depth=depth + 1)
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return schema["enum"][0]
    for key in ("anyOf", "oneOf"):
        if schema.get(key):
            return instance(_pick(schema[key], depth), seed, root=root, depth=depth + 1)
    if schema.get("allOf"):
        merged: dict[str, Any] = {}
        for part in schema["allOf"]:
            found = instance(part, seed, root=root, depth=depth + 1)
            if isinstance(found, dict):
                merged.update(found)
        return merged
    kind = schema.get("type", "object" if "properties" in schema else "string")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    return _typed(kind, schema, seed, root, depth)


def _typed(kind: str, schema: dict[str, Any], seed: int, root: Any, depth: int) -> Any:
    if kind == "object":
        properties = schema.get("properties", {})
        return {
            name: instance(properties.get(name, {}), seed + i, root=root, depth=depth + 1)
            for i, name in enumerate(schema.get("required", []))
        }
    if kind == "array":
        count = schema.get("minItems", 0)
        return [instance(schema.get("items", {}), seed + i, root=root, depth=depth + 1) for i in range(count)]
    if kind in ("integer", "number"):
        low = schema.get("minimum", schema.get("exclusiveMinimum", -1) + 1)
        value = max(low, min(1, schema.get("maximum", 1)))
        return int(value) if kind == "integer" else float(value)
    if kind == "string":
        return _string(schema, seed)
    return _DEFAULTS.get(kind)


def _string(schema: dict[str, Any], seed: int) -> str:
    formats = {
        "date-time": "2026-01-01T00:00:00Z",
        "date": "2026-01-01",
        "email": "a@b.co",
        "uri": "https://example.com",
        "uuid": "00000000-0000-4000-8000-000000000000",
    }
    if schema.get("format") in formats:
        return formats[schema["format"]]
    text = "".join(generate(seed, 2)).strip()
    low, high = schema.get("minLength", 0), schema.get("maxLength")
    text = text.ljust(low, "x")
    return text if high is None else text[:high]


def _pick(branches: list[Any], depth: int) -> Any:
    """The first branch, or deep in a recursion the first that cannot recurse."""
    if depth < _MAX_DEPTH:
        return branches[0]
    plain = [b for b in branches if isinstance(b, dict) and "$ref" not in b]
    return plain[0] if plain else branches[0]


def _resolve(root: Any, ref: str) -> Any:
    try:
        return lookup_pointer(root, ref.removeprefix("#"))
    except (KeyError, IndexError, ValueError):
        return {}  # a ref that names nothing: the shortest instance, an empty object
