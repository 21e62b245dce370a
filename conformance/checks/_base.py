"""The check catalogue: each check a small function with a name a user sees.

A check takes a ``CheckContext`` (the case sent, the response got, the spec)
and returns the failures it found; ``applies`` says whether it had anything to
look at, so reports can tell "passed" from "not applicable".
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from ..results._tally import Failure
from ._sse import SSEEvent

if TYPE_CHECKING:
    from openai_conformance.spec import Operation, Spec
    from openai_conformance.strategies import Case

SOURCES = ("spec", "convention", "semantics")
SEVERITIES = ("error", "warning")  # a warning is shown and counted, and leaves the verdict alone


@dataclass
class Response:
    """What came back for one request, read under the session's caps."""

    status: int
    headers: dict[str, str]
    content: bytes
    elapsed_ms: float
    url: str = ""
    events: list[str] | None = None  # the `data` of each server-sent event (what most checks read)
    sse: list[SSEEvent] | None = None  # the same events with their names and ids (WHATWG rules)
    stream_error: str | None = None  # the stream did not end properly (timeout, cut)
    stream_incomplete: bool = False  # the stream ended inside an event (no blank line after it)

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @cached_property
    def json(self) -> Any:
        """The parsed body, or ``None`` when it is not JSON."""
        try:
            return json.loads(self.content)
        except (ValueError, UnicodeDecodeError, RecursionError):
            return None


@dataclass
class CheckContext:
    spec: Spec
    operation: Operation
    case: Case
    response: Response
    extra: dict[str, Any] = field(default_factory=dict)  # e.g. a fetcher for image urls


CheckFunction = Callable[[CheckContext], Iterator[Failure]]
Applies = Callable[[CheckContext], bool]


@dataclass(frozen=True)
class Check:
    """One check of the catalogue: the name a user sees, what it states, where the rule comes from."""

    name: str
    description: str
    source: str  # "spec" | "convention" | "semantics"
    function: CheckFunction | None  # None: the stateful workflows or the auth probe apply it
    applies: Applies
    severity: str = "error"  # "warning": reported, but no finding of the verdict (SEVERITIES)

    def __call__(self, ctx: CheckContext) -> Iterator[Failure]:
        if self.function is None:
            raise TypeError(f"{self.name} is applied by a workflow or probe, not per response")
        return self.function(ctx)


def check(
    name: str, description: str, *, source: str, applies: Applies = lambda ctx: True
) -> Callable[[CheckFunction], Check]:
    """Make a per-response function a ``Check``; nothing is registered until a catalogue adds it."""
    if source not in SOURCES:
        raise ValueError(f"{source=} is not one of {SOURCES}")

    def make(function: CheckFunction) -> Check:
        return Check(name, description, source, function, applies)

    return make


def declared(name: str, description: str, *, source: str, severity: str = "error") -> Check:
    """A check that a workflow or probe applies itself (it needs several requests)."""
    if source not in SOURCES:
        raise ValueError(f"{source=} is not one of {SOURCES}")
    if severity not in SEVERITIES:
        raise ValueError(f"{severity=} is not one of {SEVERITIES}")
    return Check(name, description, source, None, lambda ctx: False, severity)


class Registry:
    """Checks by name, in the order added; a name added twice is refused."""

    def __init__(self, *checks: Check) -> None:
        self._checks: dict[str, Check] = {}
        self.add(*checks)

    def add(self, *checks: Check) -> None:
        for item in checks:
            if item.name in self._checks:
                raise ValueError(f"check {item.name!r} is registered twice")
            self._checks[item.name] = item

    def per_response(self) -> list[Check]:
        return [c for c in self._checks.values() if c.function is not None]

    def __getitem__(self, name: str) -> Check:
        return self._checks[name]

    def __iter__(self) -> Iterator[Check]:
        return iter(self._checks.values())

    def __len__(self) -> int:
        return len(self._checks)

    def __contains__(self, name: object) -> bool:
        return name in self._checks

    def names(self) -> list[str]:
        return list(self._checks)


def base64_bytes(value: Any) -> bytes | None:
    """The bytes a base64 string holds (strict alphabet and padding), or None for anything else."""
    if not isinstance(value, str):
        return None
    try:
        return base64.b64decode(value, validate=True)
    except ValueError:  # binascii.Error is one
        return None


def mapping(value: Any) -> dict[str, Any]:
    """``value`` if it is a JSON object, else an empty one: what a check reads of a hostile field."""
    return value if isinstance(value, dict) else {}


def is_success(ctx: CheckContext) -> bool:
    return 200 <= ctx.response.status < 300


def body_of(ctx: CheckContext) -> dict[str, Any]:
    """The request's JSON body (or form fields), as a dict; empty when none."""
    if isinstance(ctx.case.json, dict):
        return ctx.case.json
    return dict(ctx.case.form or {})


def documented_media(ctx: CheckContext) -> tuple[str | None, Any]:
    """The documented response for this status: (status key, Response) or (None, None)."""
    status = str(ctx.response.status)
    responses = ctx.operation.responses
    for key in (status, f"{status[0]}XX", f"{status[0]}xx", "default"):
        if key in responses:
            return key, responses[key]
    return None, None


def schema_errors(schema: dict[str, Any], value: Any) -> list[str]:
    """Why ``value`` breaks a schema the request itself gave (a tool's parameters, a
    ``json_schema`` format); none when that schema is broken: nothing to hold the answer to."""
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError

    try:
        return [e.message[:160] for e in Draft202012Validator(schema).iter_errors(value)]
    except SchemaError:
        return []
