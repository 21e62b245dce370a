"""A minimal valid instance of a schema of the served document, deterministically.

Required properties only, the first enum value or const, the smallest number and
string the bounds allow, the first branch of anyOf and the first of oneOf that
matches only itself; the caller validates the whole result.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openai_conformance.spec import Spec

MAX_DEPTH = 14
FORMATS = {
    "date-time": "2026-01-01T00:00:00Z",
    "date": "2026-01-01",
    "uri": "https://example.com",
    "url": "https://example.com",
    "email": "user@example.com",
    "uuid": "00000000-0000-4000-8000-000000000000",
    "byte": "",
    "binary": "",
}
_TRIED = ("a", "abc", "a1", "0", "x-1", "2026-01-01", "A", "ab_c")


class Instances:
    """Instances of one document's schemas (validators of oneOf nodes kept)."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self._validators: dict[int, Any] = {}

    def of(self, schema: Any, depth: int = 0) -> Any:
        schema = self.spec.resolve(schema)
        if not isinstance(schema, dict) or depth > MAX_DEPTH:
            return None
        if "$ref" in schema:  # a ref with sibling keywords: both apply
            rest = {k: v for k, v in schema.items() if k != "$ref"}
            return self.of({"allOf": [{"$ref": schema["$ref"]}, rest]}, depth)
        if "const" in schema:
            return schema["const"]
        if schema.get("enum"):
            return next((v for v in schema["enum"] if v is not None), schema["enum"][0])
        if "allOf" in schema:
            return self._all_of(schema, depth)
        for key in ("oneOf", "anyOf"):
            if key in schema:
                return self._branch(schema, key, depth)
        return self._typed(schema, _first_type(schema), depth)

    def _all_of(self, schema: dict[str, Any], depth: int) -> Any:
        parts = [self.of(part, depth + 1) for part in schema["allOf"]]
        own = {k: v for k, v in schema.items() if k != "allOf"}
        if own.get("properties") or own.get("required"):
            parts.append(self._typed(own, "object", depth))
        objects = [p for p in parts if isinstance(p, dict)]
        if not objects:
            return next((p for p in parts if p is not None), None)
        merged: dict[str, Any] = {}
        for part in objects:
            merged.update(part)
        # A part may require what another part defines: generate those from their owner.
        known = self._properties(schema)
        for name, found in merged.items():
            if found in ({}, None) and name in known:
                merged[name] = self.of(known[name], depth + 1)
        return merged

    def _properties(self, schema: Any, depth: int = 0) -> dict[str, Any]:
        """Every property an allOf (and its parts' allOfs) defines."""
        schema = self.spec.resolve(schema)
        if not isinstance(schema, dict) or depth > MAX_DEPTH:
            return {}
        found: dict[str, Any] = {}
        for part in schema.get("allOf", []):
            found.update(self._properties(part, depth + 1))
        if "$ref" in schema:
            found.update(self._properties({"$ref": schema["$ref"]}, depth + 1))
        found.update(schema.get("properties") or {})
        return found

    def _branch(self, schema: dict[str, Any], key: str, depth: int) -> Any:
        branches = sorted(
            schema[key],
            key=lambda b: (
                self.spec.resolve(b).get("type") == "null" if isinstance(self.spec.resolve(b), dict) else False
            ),
        )
        base = {k: v for k, v in schema.items() if k not in ("oneOf", "anyOf", "discriminator")}
        candidates = []
        for branch in branches:
            value = self.of({"allOf": [branch, base]} if base.get("properties") else branch, depth + 1)
            if key == "anyOf":
                return value
            candidates.append(value)
            if self._valid(schema, value):
                return value
        return candidates[0] if candidates else None

    def _valid(self, schema: dict[str, Any], value: Any) -> bool:
        found = self._validators.get(id(schema))
        if found is None:
            found = self._validators[id(schema)] = self.spec.validator_for(schema)
        return bool(found.is_valid(value))

    def _typed(self, schema: dict[str, Any], kind: str | None, depth: int) -> Any:
        if kind == "object" or (kind is None and ("properties" in schema or "required" in schema)):
            properties = schema.get("properties") or {}
            return {name: self.of(properties.get(name, {}), depth + 1) for name in schema.get("required", [])}
        if kind == "array":
            item = self.of(schema.get("items", {}), depth + 1)
            return [item] * int(schema.get("minItems", 0))
        if kind in ("integer", "number"):
            return _number(schema, kind)
        if kind == "string":
            return _string(schema)
        if kind == "boolean":
            return False
        return None  # null, or a schema that says nothing (any value is valid)


def _first_type(schema: dict[str, Any]) -> str | None:
    kind = schema.get("type")
    if isinstance(kind, list):
        return next((k for k in kind if k != "null"), "null")
    return kind


def _number(schema: dict[str, Any], kind: str) -> int | float:
    low = schema.get("minimum", schema.get("exclusiveMinimum"))
    value: float = 0 if low is None else low
    if "exclusiveMinimum" in schema and value <= schema["exclusiveMinimum"]:
        value = schema["exclusiveMinimum"] + (1 if kind == "integer" else 0.5)
    if "maximum" in schema and value > schema["maximum"]:
        value = schema["maximum"]
    step = schema.get("multipleOf")
    if step:
        value = -(-value // step) * step
    return int(value) if kind == "integer" else float(value)


def _string(schema: dict[str, Any]) -> str:
    """The example, the format's sample or a short word: the first the bounds allow."""
    low = int(schema.get("minLength", 0))
    example = schema.get("x-example", schema.get("default"))
    tried = [example] if isinstance(example, str) else []
    tried += [FORMATS.get(schema.get("format", ""), ""), *_TRIED]
    pattern = schema.get("pattern")
    for text in tried:
        text += "a" * max(0, low - len(text))
        if pattern is None or _matches(pattern, text):
            return text
    return "a" * low


def _matches(pattern: str, text: str) -> bool:
    try:
        return re.search(pattern, text) is not None
    except re.error:
        return True
