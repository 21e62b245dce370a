"""Type aliases shared by the modules of ``spec/``."""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]
Document = dict[str, Any]
JSONPointer = str


def type_set(schema: Any) -> frozenset[str]:
    """The ``type`` keyword as a set: a name, a list of names, or absent (empty)."""
    found = schema.get("type") if isinstance(schema, dict) else None
    if isinstance(found, str):
        return frozenset((found,))
    return frozenset(t for t in found if isinstance(t, str)) if isinstance(found, list) else frozenset()
