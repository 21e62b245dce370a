"""Negative rules: every way to break exactly one rule of an operation's request.

Each ``Mutation`` names its rule (``NegativeRule``: name, JSON pointer, detail),
the body media type it needs, an edit of a valid ``Draft`` and, for rules about
the wire (``not_json``, ``content_type``, ``not_an_image``), a last edit of the
finished ``Case``. Rules come from the schema's own keywords, so every spec works.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from random import Random
from typing import TYPE_CHECKING, Any

from openai_conformance.spec import escape_token

from ._case import Case, FilePart, NegativeRule
from ._files import kind_of
from ._kinds import schema_types
from ._merge import flatten
from ._operation import BodyPlan, Draft, Plan, json_view
from ._relations import partners
from ._schema import Binary, Unsatisfiable

if TYPE_CHECKING:
    from ._types import Gen, Schema

_MAX_NESTING = 2  # how deep rules look into nested objects
_MAX_SIZE = 10_000  # a longer string or array than this is not worth sending
_LOCATIONS = {"path": "path", "query": "query", "header": "headers"}
# First JSON type the schema does not allow -> a value of it.
_WRONG_VALUES: tuple[tuple[str, Any], ...] = (
    ("string", "wrong-type"),
    ("integer", 12345),
    ("boolean", True),
    ("array", ["unexpected"]),
    ("object", {"unexpected": 1}),
    ("null", None),
)
_UPWARD = ("maximum", "exclusiveMaximum", "maxItems")  # rules that could exceed a cap
NOT_AN_IMAGE = b"this is not an image\n"
WRONG_CONTENT_TYPES = ("text/plain", "application/xml")


def _identity(case: Case) -> Case:
    return case


@dataclass(frozen=True)
class Mutation:
    rule: NegativeRule
    body: BodyPlan | None  # the media type the rule needs, or None
    edit: Callable[[Draft, Random], None]
    finish: Callable[[Case], Case] = _identity


def _strip_null(schema: Schema, resolve: Callable[[Any], Any]) -> Schema:
    """``anyOf: [X, {type: null}]`` read as X: the null branch does not change a rule."""
    schema = flatten(schema, resolve)
    if isinstance(schema, dict) and "anyOf" in schema and len(schema) <= 3:
        rest = [b for b in schema["anyOf"] if schema_types(flatten(b, resolve)) != ["null"]]
        if len(rest) == 1:
            return flatten(rest[0], resolve)
    return schema


def _allowed_types(schema: Schema, resolve: Callable[[Any], Any], depth: int = 0) -> set[str] | None:
    if not isinstance(schema, dict) or depth > _MAX_NESTING * 4:
        return None
    for keyword in ("anyOf", "oneOf"):
        if keyword in schema:
            found: set[str] = set()
            for branch in schema[keyword]:
                types = _allowed_types(flatten(branch, resolve), resolve, depth + 1)
                if types is None:
                    return None
                found |= types
            return found
    if "type" not in schema:
        return None  # keywords like ``items`` imply no type: any other type is valid
    types = schema["type"]
    found = {types} if isinstance(types, str) else set(types)
    return found | {"integer"} if "number" in found else found


def value_rules(
    schema: Schema, resolve: Callable[[Any], Any], item: Callable[[Schema], Gen], *, text_only: bool
) -> list[tuple[str, str, Callable[[Random], Any]]]:
    """(rule, detail, value) for each keyword of ``schema`` a value can break alone.

    ``text_only``: the value travels as text (query, form), so wrong types are strings.
    """
    out: list[tuple[str, str, Callable[[Random], Any]]] = []
    allowed = _allowed_types(schema, resolve)
    if allowed is not None:
        wrong = [(t, v) for t, v in _WRONG_VALUES if t not in allowed]
        if text_only:  # text reads as a one-item array or an object's text, so only scalars
            wrong = [(t, v) for t, v in wrong if t == "string" and not allowed & {"array", "object"}]
        if wrong:
            kind, value = wrong[0]
            out.append(("type", f"a {kind} where {sorted(allowed)} is allowed", lambda r, v=value: v))
    if not isinstance(schema, dict) or "anyOf" in schema or "oneOf" in schema:
        return out
    types = set(schema_types(schema) or ())
    integer = "integer" in types
    numeric = bool(types & {"integer", "number"})
    enum = [v for v in schema.get("enum", [schema["const"]] if "const" in schema else []) if v is not None]
    if enum and all(isinstance(v, str) for v in enum):
        keyword = "enum" if "enum" in schema else "const"
        out.append((keyword, f"a value not in {enum[:5]}", lambda r: "not-a-listed-value"))
    if numeric and not enum:
        for keyword, sign in (("minimum", -1), ("maximum", 1)):
            if isinstance(schema.get(keyword), (int, float)):
                bound = schema[keyword]
                bad = bound + sign if integer else bound + sign * 0.5
                out.append((keyword, f"{bad} beyond {keyword}={bound}", lambda r, v=bad: v))
        for keyword, rounding in (("exclusiveMinimum", math.floor), ("exclusiveMaximum", math.ceil)):
            if isinstance(schema.get(keyword), (int, float)):
                bad = rounding(schema[keyword]) if integer else schema[keyword]
                out.append((keyword, f"{bad} at {keyword}", lambda r, v=bad: v))
    if "string" in types and not enum and "pattern" not in schema and "format" not in schema:
        low, high = schema.get("minLength", 0), schema.get("maxLength")
        if low >= 1:
            out.append(("minLength", f"{low - 1} characters", lambda r, n=low - 1: "x" * n))
        if isinstance(high, int) and high < _MAX_SIZE:
            out.append(("maxLength", f"{high + 1} characters", lambda r, n=high + 1: "x" * n))
    if "array" in types and not text_only and not schema.get("uniqueItems") and "prefixItems" not in schema:
        low, high = schema.get("minItems", 0), schema.get("maxItems")
        items = item(schema.get("items", {}))
        if low >= 1:
            out.append(("minItems", f"{low - 1} items", lambda r, n=low - 1: [items(r, 1) for _ in range(n)]))
        if isinstance(high, int) and high < _MAX_SIZE:
            out.append(("maxItems", f"{high + 1} items", lambda r, n=high + 1: [items(r, 1) for _ in range(n)]))
    return out


class _Builder:
    """Collects the mutations of one plan."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.resolve = plan.spec.resolve
        self.out: list[Mutation] = []

    def params(self) -> None:
        for param_plan in self.plan.params:
            p = param_plan.parameter
            where = _LOCATIONS[p.location]
            pointer = f"/{where}/{escape_token(p.name)}"
            if p.required and p.location != "path":
                self._add(
                    "required",
                    pointer,
                    f"left out required {p.location} {p.name!r}",
                    None,
                    _param_edit(where, p.name, None, delete=True),
                )
            schema = _strip_null(p.schema, self.resolve)
            for name, detail, value in value_rules(schema, self.resolve, self.plan.compiler().compile, text_only=True):
                if p.location == "path" and name == "type":
                    continue  # every path segment is text; a "wrong type" there is still text
                self._add(name, pointer, detail, None, _param_edit(where, p.name, value))

    def body(self, body: BodyPlan) -> None:
        self._object(body, body.schema, [], [])
        kind = body.kind
        if kind == "json":
            self._add("not_json", "", "a body that is not JSON", body, _no_edit, _not_json)
        if kind == "form" and isinstance(body.schema, dict):
            for name, sub in (body.schema.get("properties") or {}).items():
                slot = Binary(name, str(flatten(sub, self.resolve).get("description", "")))
                if _is_binary(sub, self.resolve) and kind_of(slot, body.media.encoding) == "png":
                    self._add(
                        "not_an_image",
                        f"/{escape_token(name)}",
                        f"part {name!r} is text, not a PNG",
                        body,
                        _ensure_slot(name),
                        _unimage(name),
                    )

    def content_type(self) -> None:
        if not self.plan.bodies:
            return
        documented = {b.media.content_type for b in self.plan.bodies}
        wrong = next(t for t in WRONG_CONTENT_TYPES if t not in documented)
        body = self.plan.bodies[0]
        self._add(
            "content_type", "", f"sent as {wrong}; documented: {sorted(documented)}", body, _no_edit, _retyped(wrong)
        )

    def _object(self, body: BodyPlan, schema: Schema, path: list[str], parents: list[Gen]) -> None:
        if not isinstance(schema, dict) or len(path) > _MAX_NESTING:
            return
        text_only = body.kind == "form" and not path
        properties = schema.get("properties") or {}
        required = set(schema.get("required") or ())
        for name, sub in properties.items():
            pointer = "/" + "/".join(escape_token(p) for p in [*path, name])
            where = [*path, name]
            if name in required:
                self._add(
                    "required",
                    pointer,
                    f"left out required {name!r}",
                    body,
                    _body_edit(where, parents, None, delete=True),
                )
            if _is_binary(sub, self.resolve):
                continue
            flat = _strip_null(sub, self.resolve)
            drop = partners(name, set(properties), required)
            for rule, detail, value in value_rules(flat, self.resolve, body.compiler.compile, text_only=text_only):
                self._add(rule, pointer, detail, body, _body_edit(where, parents, value, drop=drop))
            if isinstance(flat, dict) and "properties" in flat and "anyOf" not in flat and "oneOf" not in flat:
                self._object(body, flat, where, [*parents, body.compiler.compile(sub)])
        if schema.get("additionalProperties") is False:
            pointer = "/" + "/".join(escape_token(p) for p in [*path, "unexpected_property"])
            self._add(
                "additionalProperties",
                pointer,
                "an extra property where none is allowed",
                body,
                _body_edit([*path, "unexpected_property"], parents, lambda r: "unexpected"),
            )

    def _add(
        self,
        name: str,
        pointer: str,
        detail: str,
        body: BodyPlan | None,
        edit: Callable[[Draft, Random], None],
        finish: Callable[[Case], Case] = _identity,
    ) -> None:
        self.out.append(Mutation(NegativeRule(name, pointer, detail), body, edit, finish))


def _is_binary(schema: Schema, resolve: Callable[[Any], Any]) -> bool:
    flat = flatten(schema, resolve)
    if not isinstance(flat, dict):
        return False
    if flat.get("format") == "binary":
        return True
    return any(_is_binary(b, resolve) for k in ("anyOf", "oneOf") for b in flat.get(k, ()))


def _no_edit(draft: Draft, rnd: Random) -> None:
    return None


def _param_edit(where: str, name: str, value: Any, *, delete: bool = False) -> Callable[[Draft, Random], None]:
    def edit(draft: Draft, rnd: Random) -> None:
        bag = getattr(draft, where)
        if delete:
            bag.pop(name, None)
        else:
            bag[name] = value(rnd)

    return edit


def _body_edit(
    path: list[str], parents: list[Gen], value: Any, *, delete: bool = False, drop: Sequence[str] = ()
) -> Callable[[Draft, Random], None]:
    def edit(draft: Draft, rnd: Random) -> None:
        node = draft.value
        if not isinstance(node, dict):
            raise Unsatisfiable("the body drawn is not an object")
        for name, gen in zip(path[:-1], parents, strict=True):
            for _ in range(8):  # an absent (or null) optional parent: add a valid object
                if isinstance(node.get(name), dict):
                    break
                node[name] = gen(rnd, 1)
            if not isinstance(node.get(name), dict):
                raise Unsatisfiable(f"no object drawn for {name!r}")
            node = node[name]
        if delete:
            node.pop(path[-1], None)
        else:
            node[path[-1]] = value(rnd)
            for other in drop:
                node.pop(other, None)

    return edit


def _ensure_slot(name: str) -> Callable[[Draft, Random], None]:
    def edit(draft: Draft, rnd: Random) -> None:
        if not isinstance(draft.value, dict):
            raise Unsatisfiable("the body drawn is not an object")
        if not isinstance(draft.value.get(name), (Binary, list)) or not draft.value.get(name):
            draft.value[name] = Binary(name, "")

    return edit


def _unimage(name: str) -> Callable[[Case], Case]:
    def finish(case: Case) -> Case:
        form = dict(case.form or {})
        bad = FilePart("image.png", "image/png", NOT_AN_IMAGE)
        form[name] = [bad, *form[name][1:]] if isinstance(form.get(name), list) else bad
        return replace(case, form=form)

    return finish


def _not_json(case: Case) -> Case:
    return replace(case, json=None, raw_body=b'{"model": "unterminated')


def _retyped(content_type: str) -> Callable[[Case], Case]:
    def finish(case: Case) -> Case:
        value = case.json if case.form is None else json_view(_filenames(case.form))
        raw = case.raw_body if case.raw_body is not None else json.dumps(value).encode()
        return replace(case, media_type=content_type, json=None, form=None, raw_body=raw)

    return finish


def _filenames(form: dict[str, Any]) -> dict[str, Any]:
    def name(v: Any) -> Any:
        return v.filename if isinstance(v, FilePart) else [name(x) for x in v] if isinstance(v, list) else v

    return {k: name(v) for k, v in form.items()}


def mutations(plan: Plan) -> list[Mutation]:
    """Every negative rule of ``plan``'s operation, computed once per plan."""
    cached = getattr(plan, "_mutations", None)
    if cached is not None:
        return cached
    builder = _Builder(plan)
    builder.params()
    for body in plan.bodies:
        builder.body(body)
    builder.content_type()
    capped = plan.policy.limits
    found = [m for m in builder.out if not (m.rule.name in _UPWARD and m.rule.pointer.rsplit("/", 1)[-1] in capped)]
    plan._mutations = found  # type: ignore[attr-defined]
    return found
