"""Schemas no validator or generator can use: ``spec lint`` reports them, ``run`` refuses them.

- ``schema_cycle``: schemas that apply to the same value in a loop (a self-``$ref``,
  ``A: $ref B`` and ``B: $ref A``, ``A: allOf [$ref A]``), with no base schema to
  stop at; validating anything against them never ends. A loop through
  ``properties`` or ``items`` (a tree) is fine: each turn is one level down.
- ``ref_not_schema``: a ``$ref`` to a string, a number or a list.
- ``unknown_type``: a ``type`` that JSON Schema does not define (``frobnicate``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ._errors import SpecError, SpecErrorKind
from ._refs import lookup, walk_refs
from ._types import Schema
from ._walk import iter_schemas

if TYPE_CHECKING:
    from ._spec import Spec

TYPES = frozenset({"string", "number", "integer", "boolean", "array", "object", "null"})
# Keywords whose subschemas apply to the value itself, not to a part of it.
_IN_PLACE = ("not", "if", "then", "else")
_IN_PLACE_LISTS = ("allOf", "anyOf", "oneOf")

Problem = tuple[str, str, str]  # (kind, pointer, one-line message)


def problems(document: Any) -> tuple[Problem, ...]:
    """Every unusable schema of a normalized document, cycles first (``load_spec`` caches them)."""
    schemas = list(iter_schemas(document))  # the one walk of every schema, shared by two rules
    return (*_cycles(document, schemas), *_refs_not_schemas(document), *_unknown_types(schemas))


def check_usable(spec: Spec) -> None:
    """Raise a one-line ``SpecError`` naming the first unusable schema, if any."""
    for _, pointer, message in spec.problems:
        shown = f"{spec.name} at {pointer}: {message} (`spec lint` lists them all)"
        raise SpecError(SpecErrorKind.UNUSABLE, shown, pointer=pointer)


_NOWHERE = object()


def _target(document: Any, ref: Any) -> Any:
    if not (isinstance(ref, str) and ref.startswith("#")):
        return _NOWHERE
    try:
        return lookup(document, ref[1:])
    except (KeyError, IndexError, ValueError, TypeError):
        return _NOWHERE  # dangling: ``check_refs`` and the dangling_ref rule say so


def _in_place(document: Any, schema: dict) -> Iterator[tuple[str, Any]]:
    """(how, subschema) for each schema that applies to the same value as ``schema``."""
    target = _target(document, schema.get("$ref"))
    if isinstance(target, dict):
        yield "$ref", target
    for key in _IN_PLACE:
        if isinstance(schema.get(key), dict):
            yield key, schema[key]
    for key in _IN_PLACE_LISTS:
        if isinstance(schema.get(key), list):
            yield from ((f"{key}/{i}", s) for i, s in enumerate(schema[key]) if isinstance(s, dict))


def _cycles(document: Any, schemas: list[tuple[str, Schema]]) -> Iterator[Problem]:
    where = {id(schema): pointer for pointer, schema in schemas}  # each yielded once, at its first pointer
    done: set[int] = set()
    reported: set[frozenset[int]] = set()
    for pointer, root in schemas:
        if id(root) in done:
            continue
        path: list[tuple[int, str]] = []  # (id, pointer) of the schemas being walked
        on_path: dict[int, int] = {}  # id -> index in path
        stack: list[tuple[Any, str, bool]] = [(root, pointer, False)]
        while stack:
            schema, at, leaving = stack.pop()
            key = id(schema)
            if leaving:
                path.pop()
                del on_path[key]
                done.add(key)
                continue
            if key in on_path:
                loop = path[on_path[key] :]
                members = frozenset(k for k, _ in loop)
                if members not in reported:
                    reported.add(members)
                    names = " -> ".join([p for _, p in loop] + [loop[0][1]])
                    yield (
                        "schema_cycle",
                        loop[0][1],
                        f"schemas that apply to the same value in a loop, so validation never ends: {names}",
                    )
                continue
            if key in done:
                continue
            on_path[key] = len(path)
            path.append((key, where.get(key, at)))
            stack.append((schema, at, True))
            stack.extend((sub, f"{at}/{how}", False) for how, sub in _in_place(document, schema))


def _refs_not_schemas(document: Any) -> Iterator[Problem]:
    for pointer, holder in walk_refs(document):
        target = _target(document, holder["$ref"])
        if target is not _NOWHERE and not isinstance(target, (dict, bool)):
            shown = type(target).__name__ if not isinstance(target, str) else f"the string {target[:40]!r}"
            yield "ref_not_schema", f"{pointer}/$ref", f"$ref {holder['$ref']!r} points to {shown}, not a schema"


def _unknown_types(schemas: list[tuple[str, Schema]]) -> Iterator[Problem]:
    for pointer, schema in schemas:
        if "type" not in schema:
            continue
        given = schema["type"]
        bad = [t for t in (given if isinstance(given, list) else [given]) if not (isinstance(t, str) and t in TYPES)]
        if bad:
            yield "unknown_type", f"{pointer}/type", f"type {bad[0]!r} is none of {', '.join(sorted(TYPES))}"
