"""Every schema of a document, with its JSON pointer, each object visited once.

Schemas sit under ``components/schemas`` and under each ``schema`` key of the
non-schema part (parameters, bodies, responses); inside a schema, under the
subschema keywords. ``x-*`` extensions are data, never walked. YAML aliases
make one object appear at several pointers: it is yielded at the first only.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ._refs import escape
from ._types import JSONPointer, Schema

SUBSCHEMA = (
    "items",
    "additionalProperties",
    "not",
    "contains",
    "propertyNames",
    "if",
    "then",
    "else",
    "unevaluatedItems",
    "unevaluatedProperties",
    "additionalItems",
)
SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems", "items")
SUBSCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")


def iter_schemas(document: Any) -> Iterator[tuple[JSONPointer, Schema]]:
    """Each schema object of ``document`` (raw or normalized) with its pointer."""
    seen: set[int] = set()
    stack: list[tuple[Any, JSONPointer, bool]] = [(document, "", False)]
    while stack:
        node, pointer, is_schema = stack.pop()
        if not isinstance(node, (dict, list)) or id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, list):
            stack.extend((v, f"{pointer}/{i}", False) for i, v in reversed(list(enumerate(node))))
            continue
        if is_schema:
            yield pointer, node
            stack.extend(reversed(list(_children(node, pointer))))
            continue
        for key, value in reversed(list(node.items())):
            key = str(key)
            if key.startswith("x-") and key != "x-external":
                continue
            where = f"{pointer}/{escape(key)}"
            if key == "schema":
                stack.append((value, where, True))
            elif key == "schemas" and pointer == "/components" and isinstance(value, dict):
                stack.extend((s, f"{where}/{escape(str(n))}", True) for n, s in reversed(list(value.items())))
            else:
                stack.append((value, where, False))


def _children(schema: Schema, pointer: JSONPointer) -> Iterator[tuple[Any, JSONPointer, bool]]:
    for key, value in schema.items():
        where = f"{pointer}/{escape(str(key))}"
        if key in SUBSCHEMA_LISTS and isinstance(value, list):
            yield from ((v, f"{where}/{i}", True) for i, v in enumerate(value))
        elif key in SUBSCHEMA and isinstance(value, dict):
            yield value, where, True
        elif key in SUBSCHEMA_MAPS and isinstance(value, dict):
            yield from ((v, f"{where}/{escape(str(n))}", True) for n, v in value.items())
