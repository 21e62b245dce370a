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
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ._examples import ELIDED
from ._refs import escape


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


def example_shape_differences(example: Any, actual: Any, pointer: str = "") -> list[ShapeDifference]:
    """Every place where ``actual`` lacks a key of ``example`` or has another JSON type.

    Example: ``example_shape_differences({"created": 1}, {})`` gives one
    difference at ``/created``: expected "integer", got "missing".
    """
    if example is ELIDED or example is None:
        return []
    if not _same_type(example, actual):
        return [ShapeDifference(pointer, json_type(example), json_type(actual))]
    if isinstance(example, dict):
        out = []
        for key, value in example.items():
            if key is ELIDED:
                continue
            where = f"{pointer}/{escape(str(key))}"
            if key not in actual:
                out.append(ShapeDifference(where, _type_name(value), "missing"))
            else:
                out.extend(example_shape_differences(value, actual[key], where))
        return out
    if isinstance(example, list):
        shown = [item for item in example if item is not ELIDED]
        if not shown:
            return []
        elided = len(shown) != len(example)
        out = []
        for i, item in enumerate(actual):
            model = shown[0] if elided or i >= len(shown) else shown[i]
            out.extend(example_shape_differences(model, item, f"{pointer}/{i}"))
        return out
    return []


def _type_name(value: Any) -> str:
    return "any" if value is ELIDED else json_type(value)
