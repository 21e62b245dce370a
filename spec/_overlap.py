"""``oneOf`` branches that accept the same value (so a strict ``oneOf`` rejects it).

Decided for what can be decided without a solver: two branches that are the
same ``$ref``, and primitive branches (no properties) that share a JSON type
where neither has an ``enum``, or where a listed value of one passes the
other. Object branches are not compared: telling whether two object schemas
overlap needs their discriminating keys, which 1.x/2.0 documents do not name.
"""

from __future__ import annotations

from itertools import combinations
from typing import Any

from jsonschema import Draft202012Validator

from ._refs import follow_refs
from ._types import Document, Schema, type_set

_PRIMITIVES = {"string", "number", "integer", "boolean"}
_ANNOTATIONS = ("nullable", "example", "description", "title", "default", "deprecated")


def _resolve(document: Document, schema: Any) -> tuple[Any, str | None]:
    """The schema a ``$ref`` chain ends at, and the ref that named it (None: no ref)."""
    found, pointer, _ = follow_refs(document, schema)
    return found, (f"#{pointer}" if found is not schema else None)


def _primitive(schema: Any) -> bool:
    if not isinstance(schema, dict) or "properties" in schema:
        return False
    types = type_set(schema)
    return bool(types) and types <= _PRIMITIVES


def _accepts(schema: Schema, value: Any) -> bool:
    plain = {k: v for k, v in schema.items() if k not in _ANNOTATIONS and not k.startswith("x-")}
    return Draft202012Validator(plain).is_valid(value)


def _witness(a: Schema, b: Schema) -> tuple[bool, Any]:
    """Whether ``a`` and ``b`` overlap, with a value both accept when one is known."""
    shared = type_set(a) & type_set(b) | ({"number"} if {"integer", "number"} <= type_set(a) | type_set(b) else set())
    if not shared:
        return False, None
    for one, other in ((a, b), (b, a)):
        if "enum" in one:
            both = [v for v in one["enum"] if v is not None and _accepts(other, v)]
            return bool(both), (both[0] if both else None)
    return True, None


def oneof_overlaps(document: Document, schema: Schema) -> list[str]:
    """One message per pair of overlapping branches of ``schema``'s ``oneOf``."""
    branches = schema.get("oneOf")
    if not isinstance(branches, list):
        return []
    resolved = [_resolve(document, b) for b in branches]
    out = []
    for (i, (a, ref_a)), (j, (b, ref_b)) in combinations(enumerate(resolved), 2):
        if ref_a is not None and ref_a == ref_b:
            out.append(f"oneOf branches {i} and {j} are the same schema {ref_a}")
        elif _primitive(a) and _primitive(b):
            overlap, value = _witness(a, b)
            if overlap:
                such = f" such as {value!r}" if value is not None else ""
                kinds = "/".join(sorted(type_set(a) & type_set(b))) or "numeric"
                out.append(f"oneOf branches {i} and {j} both accept {kinds} values{such}, which a strict oneOf rejects")
    return out
