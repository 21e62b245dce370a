"""Two schemas compared after ``$ref`` resolution, null folding and ``allOf`` merging.

Each side is read as a ``_View``: what values it accepts, whatever way the
document spelled it. So a schema moved into a component, a ``$ref`` target
renamed, ``nullable: true`` rewritten as ``anyOf [..., {type: null}]``, or an
object split into ``allOf`` parts, compare equal. Results of a pair of
pointers are memoized (shared components are compared once) and a pair met
again on its own path stops the walk (recursive schemas).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from ._refs import escape, follow_refs
from ._types import type_set

if TYPE_CHECKING:
    from ._spec import Spec

_LOWER = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
_UPPER = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")


@dataclass(frozen=True)
class SchemaChange:
    """A change found inside a schema; ``path`` is relative to the compared root."""

    what: str  # a key of SCHEMA_CHANGES
    old_pointer: str
    new_pointer: str
    path: tuple[str, ...]
    detail: str


_Make = Callable[..., "SchemaChange"]  # change(what, detail, path=()) bound to a pair of views


@dataclass
class _View:
    schema: dict[str, Any]
    pointer: str
    nullable: bool = False
    properties: dict[str, tuple[Any, str]] = field(default_factory=dict)
    required: set[str] = field(default_factory=set)
    branches: list[tuple[Any, str]] = field(default_factory=list)

    @property
    def types(self) -> set[str]:
        found = set(type_set(self.schema))
        if not found and (self.properties or "additionalProperties" in self.schema):
            found = {"object"}  # 3.0 documents often leave `type: object` implied
        elif not found and "items" in self.schema:
            found = {"array"}
        return found - {"null"}

    @property
    def enum(self) -> list[Any] | None:
        if "const" in self.schema:
            return [self.schema["const"]] if self.schema["const"] is not None else []
        values = self.schema.get("enum")
        return None if values is None else [v for v in values if v is not None]


class SchemaDiffer:
    """Compares schemas of two specs; one instance per diff, for its memo."""

    def __init__(self, old: Spec, new: Spec) -> None:
        self.specs = (old, new)
        self.memo: dict[tuple[str, str, bool, bool], list[SchemaChange]] = {}
        self.active: set[tuple[str, str, bool, bool]] = set()

    def compare(self, old: Any, new: Any, old_pointer: str, new_pointer: str) -> list[SchemaChange]:
        return self.compare_views(self._view(0, old, old_pointer), self._view(1, new, new_pointer))

    def compare_views(self, old_view: _View, new_view: _View) -> list[SchemaChange]:
        # Nullability may come from a wrapper around the schema at the pointer.
        key = (old_view.pointer, new_view.pointer, old_view.nullable, new_view.nullable)
        if key in self.memo:
            return self.memo[key]
        if key in self.active:
            return []  # a recursive schema met again: compared where it started
        self.active.add(key)
        try:
            found = list(self._compare(old_view, new_view))
        finally:
            self.active.discard(key)
        self.memo[key] = found
        return found

    # -- reading one side -------------------------------------------------

    def _resolve(self, side: int, schema: Any, pointer: str) -> tuple[dict[str, Any], str]:
        schema, pointer, siblings = follow_refs(self.specs[side].document, schema, pointer)
        if not isinstance(schema, dict):
            return {}, pointer
        return ({**schema, **siblings} if siblings else schema), pointer

    def _view(self, side: int, schema: Any, pointer: str) -> _View:
        schema, pointer = self._resolve(side, schema, pointer)
        view = _View(schema, pointer)
        view.nullable = "null" in type_set(schema) or (None in (schema.get("enum") or ()))
        for keyword in ("anyOf", "oneOf"):
            branches = schema.get(keyword)
            if not isinstance(branches, list):
                continue
            for i, branch in enumerate(branches):
                resolved, _ = self._resolve(side, branch, f"{pointer}/{keyword}/{i}")
                if resolved.get("type") == "null" and len(resolved) <= 2:
                    view.nullable = True
                else:
                    view.branches.append((branch, f"{pointer}/{keyword}/{i}"))
        if len(view.branches) == 1 and not _has_shape(schema):
            # `anyOf: [X, {type: null}]` is X, nullable: read X itself.
            inner = self._view(side, *view.branches[0])
            inner.nullable = inner.nullable or view.nullable
            return inner
        self._gather(side, view, schema, pointer)
        return view

    def _gather(self, side: int, view: _View, schema: dict[str, Any], pointer: str) -> None:
        for name, sub in (schema.get("properties") or {}).items():
            view.properties[name] = (sub, f"{pointer}/properties/{escape(name)}")
        view.required |= set(schema.get("required") or ())
        for i, part in enumerate(schema.get("allOf") or ()):
            resolved, where = self._resolve(side, part, f"{pointer}/allOf/{i}")
            if "type" in resolved and "type" not in view.schema:
                view.schema = {**view.schema, "type": resolved["type"]}
            self._gather(side, view, resolved, where)

    # -- comparing --------------------------------------------------------

    def _compare(self, old: _View, new: _View) -> Iterator[SchemaChange]:
        def change(what: str, detail: str, path: tuple[str, ...] = ()) -> SchemaChange:
            return SchemaChange(what, old.pointer, new.pointer, path, detail)

        if bool(old.branches) != bool(new.branches) and (old.types or new.types):
            yield from self._one_and_many(old, new)
            return
        if old.types and new.types and old.types != new.types:
            what = _type_change(old.types, new.types)
            yield change(what, f"type {_types(old.types)} -> {_types(new.types)}")
            if what == "type_changed":
                return
        elif old.types != new.types and not (old.branches or new.branches):
            what = "type_narrowed" if new.types else "type_widened"
            yield change(what, f"type {_types(old.types) or 'any'} -> {_types(new.types) or 'any'}")
        if old.nullable != new.nullable:
            yield change(
                "nullable_added" if new.nullable else "nullable_removed",
                "now nullable" if new.nullable else "no longer nullable",
            )
        yield from self._enum(old, new, change)
        yield from _bounds(old.schema, new.schema, change)
        for keyword in ("format", "pattern"):
            before, after = old.schema.get(keyword), new.schema.get(keyword)
            if before != after:
                kind = "added" if before is None else "removed" if after is None else "changed"
                yield change(f"{keyword}_{kind}", f"{keyword} {before!r} -> {after!r}")
        yield from self._properties(old, new)
        if "items" in old.schema and "items" in new.schema:
            for found in self.compare(
                old.schema["items"], new.schema["items"], f"{old.pointer}/items", f"{new.pointer}/items"
            ):
                yield _under(found, "[]")
        yield from self._branches(old, new)

    def _enum(self, old: _View, new: _View, change: _Make) -> Iterator[SchemaChange]:
        before, after = old.enum, new.enum
        if before is None and after is not None:
            yield change("enum_added", f"now one of {_values(after)}")
        elif before is not None and after is None:
            yield change("enum_removed", "no longer an enum")
        elif before is not None and after is not None:
            removed = [v for v in before if v not in after]
            added = [v for v in after if v not in before]
            if removed:
                yield change("enum_values_removed", f"values removed: {_values(removed)}")
            if added:
                yield change("enum_values_added", f"values added: {_values(added)}")

    def _properties(self, old: _View, new: _View) -> Iterator[SchemaChange]:
        for name, (_, where) in old.properties.items():
            if name not in new.properties:
                yield SchemaChange("property_removed", where, new.pointer, (name,), "removed")
        for name, (sub, where) in new.properties.items():
            if name not in old.properties:
                required = name in new.required
                what = "property_added_required" if required else "property_added_optional"
                yield SchemaChange(
                    what, old.pointer, where, (name,), "added, required" if required else "added, optional"
                )
                continue
            old_sub, old_where = old.properties[name]
            if (name in old.required) != (name in new.required):
                made = "required" if name in new.required else "optional"
                yield SchemaChange(f"property_made_{made}", old_where, where, (name,), f"made {made}")
            for found in self.compare(old_sub, sub, old_where, where):
                yield _under(found, name)

    def _branches(self, old: _View, new: _View) -> Iterator[SchemaChange]:
        if not (old.branches and new.branches):
            return
        pending: dict[Any, Any] = {}
        for branch, where in new.branches:
            pending.setdefault(self._signature(1, branch, where), []).append((branch, where))
        for branch, where in old.branches:
            signature = self._signature(0, branch, where)
            if pending.get(signature):
                new_branch, new_where = pending[signature].pop(0)
                yield from self.compare(branch, new_branch, where, new_where)
            else:
                yield SchemaChange("branch_removed", where, new.pointer, (), f"alternative {signature} removed")
        for signature, rest in pending.items():
            for _, where in rest:
                yield SchemaChange("branch_added", old.pointer, where, (), f"alternative {signature} added")

    def _one_and_many(self, old: _View, new: _View) -> Iterator[SchemaChange]:
        """A single schema against alternatives: is it one of them, and do they add anything?"""
        single, many, side = (old, new, 1) if new.branches else (new, old, 0)
        # null allowed around the alternatives is allowed in each of them
        views = [self._view(side, *branch) for branch in many.branches]
        views = [replace(v, nullable=v.nullable or many.nullable) for v in views]
        pair = (lambda v: (single, v)) if single is old else (lambda v: (v, single))
        same = next((v for v in views if not self.compare_views(*pair(v))), None)
        grew = single is old
        if same is None:
            yield SchemaChange("composition_changed", old.pointer, new.pointer, (), f"{_shape(old)} -> {_shape(new)}")
        elif all(v is same or _subsumes(same, v) for v in views):
            what = "type_alternatives_added" if grew else "type_alternatives_removed"
            yield SchemaChange(
                what, old.pointer, new.pointer, (), f"{_shape(old)} -> {_shape(new)}, accepting the same values"
            )
        else:
            what = "branch_added" if grew else "branch_removed"
            for view in views:
                if view is not same:
                    yield SchemaChange(
                        what,
                        old.pointer if grew else view.pointer,
                        view.pointer if grew else new.pointer,
                        (),
                        f"alternative {_shape(view)} {'added' if grew else 'removed'}",
                    )

    def _signature(self, side: int, branch: Any, pointer: str) -> str:
        """What pairs branches across versions: the component name, else the type."""
        if isinstance(branch, dict) and isinstance(branch.get("$ref"), str):
            return branch["$ref"].rsplit("/", 1)[-1]
        resolved, _ = self._resolve(side, branch, pointer)
        return _types(set(type_set(resolved))) or "schema"


_CONSTRAINTS = ("enum", "const", "format", "pattern", "properties", "items", "allOf", *_LOWER, *_UPPER)


def _subsumes(general: _View, special: _View) -> bool:
    """Whether ``general`` (an unconstrained primitive) accepts every value ``special`` does."""
    if general.branches or special.branches or any(k in general.schema for k in _CONSTRAINTS):
        return False
    widened = general.types | ({"integer"} if "number" in general.types else set())
    return bool(special.types) and special.types <= widened and general.nullable >= special.nullable


def _has_shape(schema: dict[str, Any]) -> bool:
    return any(k in schema for k in ("type", "properties", "allOf", "items", "enum"))


def _shape(view: _View) -> str:
    return f"one of {len(view.branches)} schemas" if view.branches else (_types(view.types) or "any")


def _type_change(before: set[str], after: set[str]) -> str:
    def widen(types: set[str]) -> set[str]:  # every integer is a number
        return types | {"integer"} if "number" in types else types

    if before <= widen(after):
        return "type_widened"
    if after <= widen(before):
        return "type_narrowed"
    return "type_changed"


def _bounds(before: dict[str, Any], after: dict[str, Any], change: _Make) -> Iterator[SchemaChange]:
    for keyword in (*_LOWER, *_UPPER):
        old, new = before.get(keyword), after.get(keyword)
        if old == new or isinstance(old, bool) or isinstance(new, bool):
            continue
        lower = keyword in _LOWER
        if old is None:
            tighter = True
        elif new is None:
            tighter = False
        else:
            tighter = new > old if lower else new < old
        yield change("bound_tightened" if tighter else "bound_relaxed", f"{keyword} {old} -> {new}")


def _under(found: SchemaChange, step: str) -> SchemaChange:
    return SchemaChange(found.what, found.old_pointer, found.new_pointer, (step, *found.path), found.detail)


def _types(types: set[str]) -> str:
    return "|".join(sorted(types))


def _values(values: list[Any], limit: int = 6) -> str:
    shown = ", ".join(repr(v) for v in values[:limit])
    return shown + (f" (+{len(values) - limit} more)" if len(values) > limit else "")
