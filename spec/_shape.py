"""Does a real response have the shape its ``x-oaiMeta`` example shows?

The example is a lower bound: every key it shows must be there, with the same
JSON type; extra keys are fine. Rules, decided here once:
- ``ELIDED`` as a value matches anything; as a key, more keys are fine anyway.
- ``null`` in the example says nothing of the type (it is often "not set yet"),
  so any value matches it; a ``null`` where the example shows a value differs.
- Integer and float are both "number", except that an example integer (a
  count, a timestamp) met by a non-integral float is reported: ``3.0`` is fine,
  ``3.5`` is not.
- Lists: each actual item is compared with the example item at its index, or
  with the first item when the example is shorter or has an elision (the
  example shows "items like these", not how many). An empty list matches.
- Optional stays optional: given the response's schema, a key the schema
  does not define is never compared (a bare ``{"type": "object"}`` defines
  none, so ``{}`` matches any example) and a defined key the schema does not
  list under ``required`` may be absent, or null where the schema allows it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ._examples import ELIDED
from ._refs import escape
from ._types import type_set


@dataclass(frozen=True)
class ShapeDifference:
    """Where a response leaves the example's shape: "Documented" vs "Received" types."""

    pointer: str
    expected: str  # a JSON type name
    got: str  # a JSON type name, or "missing"


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _same_type(expected: Any, actual: Any) -> bool:
    want, got = json_type(expected), json_type(actual)
    if want == got:
        return True
    if want == "integer" and got == "number":
        return float(actual).is_integer()
    return want == "number" and got == "integer"


Resolve = Callable[[Any], Any]
_BRANCHES = ("allOf", "anyOf", "oneOf")


@dataclass(frozen=True)
class _Node:
    """What a schema says of one value: its keys, which are required, whether null is allowed."""

    properties: dict[str, Any]
    required: frozenset[str]
    items: Any
    nullable: bool
    types: frozenset[str] = frozenset()  # the JSON types it allows; empty: any

    def allows(self, value: Any) -> bool:
        """Whether the schema itself takes ``value``'s JSON type (then an example's other type is history)."""
        got = json_type(value)
        return bool(self.types) and (got in self.types or (got == "integer" and "number" in self.types))


def _node(schema: Any, resolve: Resolve, depth: int = 0) -> _Node:
    """The keys a schema defines for a value, through ``$ref`` and its combinators.

    ``required`` is what every reading demands: ``allOf`` adds, an ``anyOf`` or
    ``oneOf`` branch demands only what all its branches demand.
    """
    schema = _deref(schema, resolve)
    if not isinstance(schema, dict) or depth > 20:
        return _Node({}, frozenset(), None, True)
    types = set(type_set(schema))
    node = _Node(
        dict(schema.get("properties") or {}),
        frozenset(schema.get("required") or ()),
        schema.get("items"),
        "null" in types or bool(schema.get("nullable")) or not types,
        frozenset(types | ({"null"} if schema.get("nullable") else set())),
    )
    for keyword in _BRANCHES:
        branches = [_node(b, resolve, depth + 1) for b in schema.get(keyword) or ()]
        if not branches:
            continue
        properties = {**node.properties}
        for branch in branches:
            properties.update({k: v for k, v in branch.properties.items() if k not in properties})
        if keyword == "allOf":
            required = node.required.union(*(b.required for b in branches))
            nullable = node.nullable and all(b.nullable for b in branches)
        else:
            required = node.required | frozenset.intersection(*(b.required for b in branches))
            nullable = any(b.nullable for b in branches) and (node.nullable or bool(types & {"null"}))
        items = node.items or next((b.items for b in branches if b.items is not None), None)
        allowed = _branch_types(node.types, [b.types for b in branches], keyword)
        node = _Node(properties, required, items, nullable if types else any(b.nullable for b in branches), allowed)
    return node


def _branch_types(own: frozenset[str], branches: list[frozenset[str]], keyword: str) -> frozenset[str]:
    """The types a value may have under ``keyword``'s branches and the schema's own ``type``."""
    if keyword == "allOf":
        known = [t for t in [own, *branches] if t]
        return frozenset.intersection(*known) if known else frozenset()
    if not all(branches):
        return own  # a branch of any type: the branches say nothing
    either = frozenset().union(*branches)
    return own & either if own else either


def _deref(schema: Any, resolve: Resolve) -> Any:
    """``resolve`` of a ``$ref``, its sibling keywords kept (2.3.0 writes both)."""
    for _ in range(20):
        if not (isinstance(schema, dict) and isinstance(schema.get("$ref"), str)):
            break
        siblings = {k: v for k, v in schema.items() if k != "$ref"}
        target = resolve({"$ref": schema["$ref"]})
        if target is schema or not isinstance(target, dict):
            break
        schema = {**target, **siblings} if siblings else target
    return schema


def example_shape_differences(
    example: Any, actual: Any, pointer: str = "", *, schema: Any = None, resolve: Resolve | None = None
) -> list[ShapeDifference]:
    """Every place where ``actual`` lacks a key of ``example`` or has another JSON type.

    Given ``schema`` (the response's, with ``resolve`` to follow its ``$ref``s),
    only keys the schema defines are compared and only required ones demanded.
    Example: ``example_shape_differences({"created": 1}, {})`` gives one
    difference at ``/created``: expected "integer", got "missing".
    """
    node = _node(schema, resolve or (lambda s: s)) if schema is not None else None
    if example is ELIDED or example is None:
        return []
    if actual is None and node is not None and node.nullable:
        return []
    if not _same_type(example, actual):
        if node is not None and node.allows(actual):
            return []  # the schema takes what came; the example shows what the API once said
        return [ShapeDifference(pointer, json_type(example), json_type(actual))]
    if isinstance(example, dict):
        out = []
        for key, value in example.items():
            if key is ELIDED:
                continue
            if node is not None and key not in node.properties:
                continue  # the example shows more than the schema promises
            where = f"{pointer}/{escape(str(key))}"
            sub = node.properties[key] if node is not None else None
            if key not in actual:
                if node is None or key in node.required:
                    out.append(ShapeDifference(where, _type_name(value), "missing"))
            else:
                out.extend(example_shape_differences(value, actual[key], where, schema=sub, resolve=resolve))
        return out
    if isinstance(example, list):
        shown = [item for item in example if item is not ELIDED]
        if not shown:
            return []
        elided = len(shown) != len(example)
        items = node.items if node is not None else None
        if node is not None and items is None:
            return []  # no item schema: nothing the items must show
        out = []
        for i, item in enumerate(actual):
            model = shown[0] if elided or i >= len(shown) else shown[i]
            out.extend(example_shape_differences(model, item, f"{pointer}/{i}", schema=items, resolve=resolve))
        return out
    return []


def _type_name(value: Any) -> str:
    return "any" if value is ELIDED else json_type(value)
