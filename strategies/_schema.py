"""Compile a normalized JSON Schema into a fast generator of valid values.

Each schema node becomes a closure ``gen(random, depth) -> value``; the tree of
closures is built once per operation and drawing is then plain Python, ten to a
hundred times faster than drawing each choice through Hypothesis (see
docs/strategies.md). What the compiler cannot produce exactly (``not``,
overlapping ``oneOf`` branches, unmergeable ``allOf``) it marks ``exact=False``
or checks with the validator as it draws.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from random import Random
from typing import Any, Protocol

from openai_conformance.spec import json_type

from ._kinds import overlaps, schema_types
from ._merge import MergeConflict, flatten, merge
from ._relations import fixes
from ._types import Gen, Schema
from ._values import integers, numbers, strings

# Deeper down, fewer optional parts and shorter arrays, so that recursive schemas end.
_KEEP_BY_DEPTH = (0.5, 0.5, 0.5, 0.35, 0.35, 0.2, 0.2, 0.1, 0.1)  # P(optional property sent)
_EXTRA_ITEMS_BY_DEPTH = (3, 3, 3, 2, 2, 1, 1, 1, 1)  # items drawn beyond minItems, at most
HARD_DEPTH = 24
_NULL_WEIGHT = 0.1


class Unsatisfiable(ValueError):
    """No value can meet the schema (or the draw went too deep to finish)."""


@dataclass(frozen=True)
class Binary:
    """A ``format: binary`` value to be turned into a file once the whole case is known."""

    name: str
    description: str


class Policy(Protocol):
    """Per-property adjustments by property name: caps narrow schemas, pools replace values."""

    def narrow(self, name: str, schema: Schema) -> Schema: ...

    def wrap(self, name: str, schema: Schema, gen: Gen) -> Gen: ...


class NoPolicy:
    def narrow(self, name: str, schema: Schema) -> Schema:
        return schema

    def wrap(self, name: str, schema: Schema, gen: Gen) -> Gen:
        return gen


def _any_json(rnd: Random, depth: int) -> Any:
    return rnd.choice(("text", 7, True, 2.5, None, "value"))


class Compiler:
    """Compiles the schemas of one request root; ``exact`` tells whether every draw is valid."""

    def __init__(
        self,
        resolve: Callable[[Any], Any],
        validator_for: Callable[[Schema], Any],
        draw_regex: Callable[[str, Random], str],
        *,
        policy: Policy | None = None,
        multipart: bool = False,
    ) -> None:
        self.resolve = resolve
        self.validator_for = validator_for
        self.draw_regex = draw_regex
        self.policy = policy or NoPolicy()
        self.multipart = multipart  # multipart bodies cannot carry null
        self.exact = True
        self._refs: dict[int, tuple[Schema, Gen]] = {}  # id -> (node kept alive, gen)

    def compile(self, schema: Schema, hint: Binary = Binary("", "")) -> Gen:
        if schema is True or schema == {}:
            return _any_json
        if schema is False:
            raise Unsatisfiable("schema is false")
        if "$ref" not in schema:
            return self._compile_flat(self._flatten(schema), hint)
        # Memoized by node: a recursive schema compiles to a cycle of closures, not forever.
        key = id(schema)
        if key in self._refs:
            return self._refs[key][1]
        cell: list[Gen] = []
        self._refs[key] = (schema, lambda rnd, depth: cell[0](rnd, depth))
        cell.append(self._compile_flat(self._flatten(schema), hint))
        self._refs[key] = (schema, cell[0])
        return cell[0]

    def _flatten(self, schema: Schema) -> Schema:
        try:
            return flatten(schema, self.resolve)
        except MergeConflict:
            # Draw from the first part alone and let the validator judge the rest.
            self.exact = False
            if "allOf" in schema:
                return self._flatten(schema["allOf"][0])
            return self.resolve({"$ref": schema["$ref"]})

    def _compile_flat(self, schema: Schema, hint: Binary) -> Gen:
        if not isinstance(schema, dict):
            return self.compile(schema, hint)
        description = schema.get("description")
        if isinstance(description, str) and not hint.description:
            hint = Binary(hint.name, description)
        for keyword in ("oneOf", "anyOf"):
            if keyword in schema:
                return self._choice(schema, keyword, hint)
        if "not" in schema:
            self.exact = False
            rest = {k: v for k, v in schema.items() if k != "not"}
            return self._excluding(self._compile_flat(rest, hint), [schema["not"]])
        if "enum" in schema or "const" in schema:
            return self._enum(schema)
        types = schema_types(schema)
        if types is None:
            return _any_json
        if self.multipart and "null" in types and len(types) > 1:
            types = [t for t in types if t != "null"]
        gens = [(t, self._typed(t, schema, hint)) for t in types]
        if len(gens) == 1:
            return gens[0][1]
        weights = [_NULL_WEIGHT if t == "null" else 1.0 for t, _ in gens]
        choices = [g for _, g in gens]
        return lambda rnd, depth: rnd.choices(choices, weights)[0](rnd, depth)

    def _enum(self, schema: dict[str, Any]) -> Gen:
        values = list(schema["enum"]) if "enum" in schema else [schema["const"]]
        types = schema_types(schema)
        if types is not None and "number" in types:
            types = [*types, "integer"]
        values = [v for v in values if types is None or json_type(v) in types]
        if self.multipart:
            values = [v for v in values if v is not None] or values
        if not values:
            raise Unsatisfiable(f"enum={schema.get('enum')!r} leaves no value of type={types!r}")
        if len(values) == 1:
            only = values[0]
            return lambda rnd, depth: only
        return lambda rnd, depth: rnd.choice(values)

    def _choice(self, schema: dict[str, Any], keyword: str, hint: Binary) -> Gen:
        siblings = {k: v for k, v in schema.items() if k != keyword and not _is_annotation(k)}
        branches = []
        for branch in schema[keyword]:
            try:
                merged = merge(siblings, self._flatten(branch)) if siblings else branch
            except MergeConflict:
                continue  # a branch the siblings rule out is not drawn
            if self.multipart and _only_null(self._flatten(merged)):
                continue
            try:
                # Without siblings the branch itself compiles (memoized: recursion ends).
                gen = self.compile(merged, hint) if not siblings else self._compile_flat(self._flatten(merged), hint)
            except Unsatisfiable:
                continue
            branches.append((merged, gen))
        if not branches:
            raise Unsatisfiable(f"no {keyword} branch can be drawn")
        gens = [g for _, g in branches]
        if keyword == "oneOf" and len(branches) > 1:
            rivals = overlaps([self._flatten(b) for b, _ in branches], self._flatten)
            if any(rivals):
                return self._exclusive(branches, rivals)

        def draw(rnd: Random, depth: int) -> Any:
            return rnd.choice(gens)(rnd, depth)

        return draw

    def _exclusive(self, branches: list[tuple[Schema, Gen]], rivals: list[list[int]]) -> Gen:
        """oneOf whose branches may overlap: keep a value only if no rival branch takes it."""
        judged = {j for r in rivals for j in r}
        validators = {j: self.validator_for(branches[j][0]) for j in judged}
        count = len(branches)

        def draw(rnd: Random, depth: int) -> Any:
            for _ in range(8):
                i = rnd.randrange(count)
                value = branches[i][1](rnd, depth)
                if not any(validators[j].is_valid(value) for j in rivals[i]):
                    return value
            raise Unsatisfiable("oneOf branches overlap on every draw")

        return draw

    def _excluding(self, gen: Gen, schemas: list[Schema]) -> Gen:
        validators = [self.validator_for(s) for s in schemas]

        def draw(rnd: Random, depth: int) -> Any:
            for _ in range(8):
                value = gen(rnd, depth)
                if not any(v.is_valid(value) for v in validators):
                    return value
            raise Unsatisfiable("'not' rejects every draw")

        return draw

    def _typed(self, kind: str, schema: dict[str, Any], hint: Binary) -> Gen:
        if kind == "string":
            if schema.get("format") == "binary":
                return lambda rnd, depth: hint
            try:
                return strings(schema, self.draw_regex)
            except ValueError as error:
                raise Unsatisfiable(str(error)) from None
        if kind in ("integer", "number"):
            try:
                return integers(schema) if kind == "integer" else numbers(schema)
            except ValueError as error:
                raise Unsatisfiable(str(error)) from None
        if kind == "boolean":
            return lambda rnd, depth: rnd.random() < 0.5
        if kind == "null":
            return lambda rnd, depth: None
        if kind == "array":
            return self._array(schema, hint)
        if kind == "object":
            return self._object(schema)
        raise Unsatisfiable(f"type={kind!r}")

    def _array(self, schema: dict[str, Any], hint: Binary) -> Gen:
        low = int(schema.get("minItems", 0))
        high = min(int(schema.get("maxItems", low + _EXTRA_ITEMS_BY_DEPTH[0])), low + _EXTRA_ITEMS_BY_DEPTH[0])
        if high < low:
            raise Unsatisfiable(f"minItems={low} > maxItems={high}")
        prefix = [self.compile(s, hint) for s in schema.get("prefixItems", [])]
        items = schema.get("items", True)
        item = self.compile(items, hint) if items is not False else None
        if item is None:
            high = min(high, len(prefix))
        unique = bool(schema.get("uniqueItems"))

        def draw(rnd: Random, depth: int) -> list[Any]:
            if depth > HARD_DEPTH:
                raise Unsatisfiable("too deep")
            size = rnd.randint(low, min(high, low + _at(_EXTRA_ITEMS_BY_DEPTH, depth)))
            out: list[Any] = []
            seen: set[str] = set()
            for i in range(size * (4 if unique else 1)):
                if len(out) == size:
                    break
                gen = prefix[i] if i < len(prefix) else item
                value = gen(rnd, depth + 1)  # type: ignore[misc]
                if unique:
                    key = json.dumps(value, sort_keys=True, default=repr)
                    if key in seen:
                        continue
                    seen.add(key)
                out.append(value)
            if len(out) < low:
                raise Unsatisfiable("uniqueItems: too few distinct items")
            return out

        return draw

    def _object(self, schema: dict[str, Any]) -> Gen:
        properties = schema.get("properties") or {}
        required = set(schema.get("required") or ())
        extra = schema.get("additionalProperties", True)
        fields: list[tuple[str, Gen, bool]] = []
        for name, sub in properties.items():
            sub = self.policy.narrow(name, sub)
            if sub is None:  # the policy dropped an optional property it cannot satisfy
                if name in required:
                    raise Unsatisfiable(f"required {name!r} cannot meet its caps")
                continue
            hint = Binary(name, "")
            try:
                gen = self.policy.wrap(name, sub, self.compile(sub, hint))
            except Unsatisfiable:
                if name in required:
                    raise
                continue
            fields.append((name, gen, name in required))
        for name in sorted(required - set(properties)):
            fields.append((name, self.compile(extra if isinstance(extra, dict) else {}), True))
        free = self.compile(extra) if isinstance(extra, dict) and not properties else None
        relations = fixes({name: gen for name, gen, _ in fields}, required)
        low = int(schema.get("minProperties", 0))
        high = int(schema.get("maxProperties", len(fields) + (_EXTRA_ITEMS_BY_DEPTH[0] if free else 0)))

        def draw(rnd: Random, depth: int) -> dict[str, Any]:
            if depth > HARD_DEPTH:
                raise Unsatisfiable("too deep")
            out: dict[str, Any] = {}
            keep = _at(_KEEP_BY_DEPTH, depth)
            for name, gen, needed in fields:
                if needed or (len(out) < high and rnd.random() < keep):
                    out[name] = gen(rnd, depth + 1)
            for name, gen, _ in fields:
                if len(out) >= low:
                    break
                if name not in out:
                    out[name] = gen(rnd, depth + 1)
            if free is not None:
                wanted = max(low, rnd.randint(0, min(high, _at(_EXTRA_ITEMS_BY_DEPTH, depth))))
                for i in range(wanted - len(out)):
                    out[f"key_{i}"] = free(rnd, depth + 1)
            for fix in relations:
                fix(out, rnd, depth)
            return out

        return draw


_ANNOTATIONS = (
    "description",
    "title",
    "default",
    "examples",
    "discriminator",
    "deprecated",
    "readOnly",
    "writeOnly",
    "$comment",
)


def _is_annotation(keyword: str) -> bool:
    return keyword in _ANNOTATIONS or keyword.startswith("x-")


def _at(table: tuple[Any, ...], depth: int) -> Any:
    """The value of a by-depth table; nothing optional beyond its end."""
    return table[depth] if depth < len(table) else 0


def _only_null(schema: Schema) -> bool:
    return (
        isinstance(schema, dict)
        and schema_types(schema) == ["null"]
        or (isinstance(schema, dict) and schema.get("enum") == [None])
    )
