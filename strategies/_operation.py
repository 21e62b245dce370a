"""The plan of one operation's requests: compiled generators for its parameters and bodies.

A ``Plan`` draws a ``Draft`` (raw values, files still slots), which negative
rules may alter, and then finishes it into a ``Case`` (path filled in, files
made, form encoded).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from random import Random
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from ._caps import Caps, narrow
from ._case import Case, NegativeRule
from ._drawing import draw_regex
from ._errors import InvalidArgument
from ._files import FileMaker
from ._form import encode_form
from ._merge import flatten
from ._pools import Pools, pooled
from ._schema import Binary, Compiler, Unsatisfiable
from ._types import Gen, Schema
from ._values import REALISTIC_RANGES

if TYPE_CHECKING:
    from openai_conformance.spec import MediaType, Operation, Parameter, Spec

FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")
_PATH_SAFE = "-_.~:@!$&'()*+,;="  # RFC 3986 pchar: a value never leaves its segment
_MAX_ATTEMPTS = 8  # draws of one case before the safety net gives up


def body_kind(content_type: str) -> str:
    """``json``, ``form`` or ``raw``: how a body of this content type is carried."""
    base = content_type.split(";")[0].strip().lower()
    if base == "application/json" or base.endswith("+json"):
        return "json"
    return "form" if base in FORM_TYPES else "raw"


class _Policy:
    """Caps narrow by property name; pooled names draw ids from the pools."""

    def __init__(self, spec: Spec, caps: Caps, pools: Pools, path: str) -> None:
        self.spec = spec
        self.limits = caps.limits(path)
        self.pools = pools
        self.path = path  # which models a pooled ``model`` draws (``--model KIND=ID``)
        self._checks: dict[int, Any] = {}

    def narrow(self, name: str, schema: Schema) -> Schema:
        if name in REALISTIC_RANGES:
            schema = narrow(schema, "range", REALISTIC_RANGES[name], self.spec.resolve)
        for how, limit in self.limits.get(name, ()):
            schema = narrow(schema, how, limit, self.spec.resolve)
            if schema is None:
                return None
        return schema

    def accepts(self, schema: Schema) -> Any:
        if id(schema) not in self._checks:
            self._checks[id(schema)] = (schema, self.spec.validator_for(schema).is_valid)
        return self._checks[id(schema)][1]

    def wrap(self, name: str, schema: Schema, gen: Gen) -> Gen:
        return pooled(self.pools, name, schema, gen, self.spec.resolve, self.accepts, self.path)


@dataclass
class BodyPlan:
    media: MediaType
    kind: str
    compiler: Compiler
    gen: Gen
    schema: Schema  # flattened root
    validator: Any


@dataclass
class ParamPlan:
    parameter: Parameter
    gen: Gen


@dataclass
class Draft:
    """A request before files are made and the form encoded; negative rules edit it."""

    path: dict[str, Any] = field(default_factory=dict)
    query: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, Any] = field(default_factory=dict)
    body: BodyPlan | None = None
    value: Any = None


def as_text(value: Any) -> str:
    """A path or header value as OpenAPI's ``simple`` style writes it: ``true``, ``3``,
    arrays comma-separated."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return ",".join(as_text(v) for v in value)
    return json.dumps(value)


def json_view(value: Any) -> Any:
    """The body as the schema sees it: file slots read as file names."""
    if isinstance(value, Binary):
        return f"{value.name or 'file'}.bin"
    if isinstance(value, list):
        return [json_view(v) for v in value]
    if isinstance(value, dict):
        return {k: json_view(v) for k, v in value.items()}
    return value


class Plan:
    """Everything needed to draw requests of one operation, compiled once."""

    def __init__(self, spec: Spec, operation: Operation, caps: Caps, pools: Pools) -> None:
        self.spec = spec
        self.operation = operation
        self.policy = _Policy(spec, caps, pools, operation.path)
        self.params = [
            ParamPlan(p, self._compile_param(p))
            for p in operation.parameters
            if p.location in ("path", "query", "header")
        ]
        self.bodies = [self._body(m) for m in self._media_types()]
        self.body_required = bool(operation.request_body and operation.request_body.required)

    def _media_types(self) -> list[MediaType]:
        body = self.operation.request_body
        return [m for m in (body.content.values() if body else ()) if m.schema is not None]

    def compiler(self, *, multipart: bool = False) -> Compiler:
        return Compiler(self.spec.resolve, self.spec.validator_for, draw_regex, policy=self.policy, multipart=multipart)

    def _compile_param(self, parameter: Parameter) -> Gen:
        schema = self.policy.narrow(parameter.name, parameter.schema) or parameter.schema
        try:
            gen = self.compiler(multipart=True).compile(schema)  # no null in a URL or header
        except Unsatisfiable as error:
            return self._refusal(f"{parameter.location} parameter {parameter.name!r}: {error}")
        return self.policy.wrap(parameter.name, schema, gen)

    def _refusal(self, reason: str) -> Gen:
        """A generator that fails when drawn: errors are raised at draw time, not at build."""
        message = f"operation={self.operation.operation_id!r} cannot be drawn: {reason}"

        def refuse(rnd: Random, depth: int) -> Any:
            raise InvalidArgument(message)

        return refuse

    def _body(self, media: MediaType) -> BodyPlan:
        kind = body_kind(media.content_type)
        compiler = self.compiler(multipart=kind == "form")
        try:
            gen = compiler.compile(media.schema)
        except Unsatisfiable as error:
            gen = self._refusal(f"{media.content_type} body: {error}")
        return BodyPlan(
            media=media,
            kind=kind,
            compiler=compiler,
            gen=gen,
            schema=flatten(media.schema, self.spec.resolve),
            validator=self.spec.validator(media.pointer),
        )

    def draft(self, rnd: Random, body: BodyPlan | None = None, *, with_body: bool = False) -> Draft:
        """A valid request's raw values; ``body`` forces that media type."""
        draft = Draft()
        for plan in self.params:
            p = plan.parameter
            if p.required or rnd.random() < 0.5:
                where = {"path": draft.path, "query": draft.query, "header": draft.headers}
                where[p.location][p.name] = plan.gen(rnd, 0)
        if body is None and self.bodies and (with_body or self.body_required or rnd.random() < 0.9):
            body = rnd.choice(self.bodies)
        if body is not None:
            draft.body = body
            draft.value = self._body_value(body, rnd)
        return draft

    def _body_value(self, body: BodyPlan, rnd: Random) -> Any:
        for _ in range(_MAX_ATTEMPTS):  # the safety net for what the compiler cannot promise
            value = body.gen(rnd, 0)
            if (body.compiler.exact or body.validator.is_valid(json_view(value))) and _sendable(body, value):
                return value
        raise Unsatisfiable(f"no valid body for {self.operation.operation_id} in {_MAX_ATTEMPTS} draws")

    def finish(self, draft: Draft, rnd: Random, seed: int, rule: NegativeRule | None = None) -> Case:
        path = self.operation.path
        for name, value in draft.path.items():
            path = path.replace("{" + name + "}", quote(as_text(value), safe=_PATH_SAFE))
        body: dict[str, Any] = {}
        if draft.body is not None:
            body = self._encode(draft.body, draft.value, rnd)
        return Case(
            operation_id=self.operation.operation_id,
            method=self.operation.method,
            path=path,
            mode="positive" if rule is None else f"negative:{rule.name}",
            path_parameters={k: as_text(v) for k, v in draft.path.items()},
            query={**self.operation.fixed_query, **draft.query},
            headers={k: as_text(v) for k, v in draft.headers.items()},
            rule=rule,
            seed=seed,
            **body,
        )

    def _encode(self, body: BodyPlan, value: Any, rnd: Random) -> dict[str, Any]:
        media_type = body.media.content_type
        files = FileMaker(rnd, body.media.encoding)
        if body.kind == "json":
            return {"media_type": media_type, "json": json_view(value)}
        if body.kind == "form":
            return {"media_type": media_type, "form": encode_form(files.fill(value))}
        if isinstance(value, Binary):
            part = files.make(value)
            return {"media_type": media_type, "raw_body": part.content}
        text = value if isinstance(value, str) else json.dumps(json_view(value))
        return {"media_type": media_type, "raw_body": text.encode()}


def _sendable(body: BodyPlan, value: Any) -> bool:
    """A form sends an empty array as no part at all: a required one must have items."""
    if body.kind != "form" or not isinstance(value, dict) or not isinstance(body.schema, dict):
        return True
    return not any(value.get(name) == [] for name in body.schema.get("required") or ())
