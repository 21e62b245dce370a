"""A schemathesis 4 extension: this suite's OpenAI checks, run by ``schemathesis run``.

Load it with ``SCHEMATHESIS_HOOKS=openai_conformance.schemathesis``; every per-response
check of source "semantics" or "convention" becomes a schemathesis check named
``oai_<name>`` (docs/schemathesis.md lists them and what is left out).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

try:
    import schemathesis
except ModuleNotFoundError as exc:  # an optional extra: say how to get it, in one line
    if exc.name != "schemathesis":
        raise
    raise ModuleNotFoundError(
        "openai_conformance.schemathesis needs schemathesis 4: pip install 'openai-conformance[schemathesis]'",
        name="schemathesis",
    ) from None
from schemathesis.core.failures import Failure as SchemathesisFailure
from schemathesis.core.failures import Severity
from schemathesis.errors import FailureGroup

from openai_conformance.spec import Operation, Spec, apply_errata, spec_from_document
from openai_conformance.strategies import Case

from .checks import CHECKS
from .checks._base import Check, CheckContext, Response
from .engine._session import _data_lines
from .results._tally import Failure, fingerprint

PREFIX = "oai_"
SOURCES = ("semantics", "convention")
STREAM_CHECKS = frozenset({"stream_format", "response_stream_events"})

SchemathesisCheck = Callable[[Any, Any, Any], None]


class OpenAIFailure(SchemathesisFailure):
    """One failure of one of this suite's checks, as schemathesis reports it.

    Two failures are one finding when the suite's fingerprint says they are one bug
    (same check, operation, place and kind, whatever the generated values).
    """

    kind_title = "OpenAI check failed"
    __slots__ = ("check", "key")

    def __init__(self, *, operation: str, check: str, failure: Failure, key: str) -> None:
        lines = [
            f"Expected: {failure.expected}" if failure.expected else "",
            f"Got: {failure.got}" if failure.got else "",
            f"At: {failure.pointer}" if failure.pointer else "",
        ]
        super().__init__(
            operation=operation,
            title=f"{check}: {failure.message}",
            message="\n".join(line for line in lines if line),
            severity=Severity.HIGH,
        )
        self.check = check
        self.key = key

    @property
    def _unique_key(self) -> str:
        return self.key


# -- the suite's Spec of the document schemathesis loaded --------------------------------

_specs: dict[int, tuple[Any, Spec]] = {}
_specs_lock = threading.Lock()


def spec_for(schema: Any) -> Spec:
    """The suite's ``Spec`` (errata applied) of a schemathesis schema, built once per document.

    Keyed by the identity of the raw document, which the cache holds so the id stays its own.
    """
    raw = schema.raw_schema
    with _specs_lock:
        cached = _specs.get(id(raw))
        if cached is None or cached[0] is not raw:
            location = str(getattr(schema, "location", None) or "<schemathesis>")
            spec, _ = apply_errata(spec_from_document(raw, location))
            cached = _specs[id(raw)] = (raw, spec)
    return cached[1]


def operation_for(spec: Spec, case: Any) -> Operation | None:
    """The suite's operation of a schemathesis case: by method and path template."""
    method, path = case.method.upper(), case.path
    return next((op for op in spec.operations if op.method == method and op.path == path), None)


# -- schemathesis' case and response in the suite's terms --------------------------------


def is_negative(case: Any) -> bool:
    """Whether schemathesis generated ``case`` in its negative mode (it names no rule)."""
    meta = case.meta
    return meta is not None and meta.generation.mode.is_negative


def to_case(case: Any, operation: Operation) -> Case:
    """The suite's ``Case`` of a schemathesis case: the same request, mode positive or negative."""
    body = None if _not_set(case.body) else case.body
    media_type = case.media_type
    json_body = body if media_type is None or "json" in media_type else None
    form = dict(body) if media_type and "multipart" in media_type and isinstance(body, dict) else None
    return Case(
        operation_id=operation.operation_id,
        method=case.method.upper(),
        path=case.formatted_path,
        mode="negative" if is_negative(case) else "positive",
        path_parameters={k: str(v) for k, v in (case.path_parameters or {}).items()},
        query=dict(case.query or {}),
        headers={k: str(v) for k, v in (case.headers or {}).items()},
        media_type=media_type,
        json=json_body,
        form=form,
    )


def to_response(response: Any) -> Response:
    """The suite's ``Response``: lower-cased headers, and the stream's ``data:`` payloads."""
    headers = {name.lower(): ", ".join(values) for name, values in response.headers.items()}
    is_stream = headers.get("content-type", "").startswith("text/event-stream")
    # The session's own line reader, so a stream means here what it means in a run.
    events = _data_lines(response.content.split(b"\n")) if is_stream else None
    return Response(
        status=response.status_code,
        headers=headers,
        content=response.content,
        elapsed_ms=round(response.elapsed * 1000, 3),
        url=str(getattr(response.request, "url", "") or ""),
        events=events,
    )


def _not_set(body: Any) -> bool:
    return type(body).__name__ == "NotSet"


# -- the checks --------------------------------------------------------------------------


def skips(check: Check, ctx: CheckContext, response: Any) -> bool:
    """What the runner skips, plus streams schemathesis stopped reading (their end is unseen)."""
    if ctx.case.is_negative and check.source == "semantics":
        return True  # what a rejected or misread request asked says nothing
    if check.name in STREAM_CHECKS and response.stream_cut_short:
        return True
    return not check.applies(ctx)


def run_check(check: Check, case: Any, response: Any) -> list[Failure]:
    """The failures of one of the suite's checks on one schemathesis exchange."""
    spec = spec_for(case.operation.schema)
    operation = operation_for(spec, case)
    if operation is None:
        return []  # an operation the suite's index does not hold: nothing to check it against
    ctx = CheckContext(spec, operation, to_case(case, operation), to_response(response))
    if skips(check, ctx, response):
        return []
    return list(check.function(ctx))  # type: ignore[misc]


def as_schemathesis_check(check: Check) -> SchemathesisCheck:
    """A schemathesis check function (named ``oai_<name>``) that runs ``check``."""
    name = PREFIX + check.name

    def run(ctx: Any, response: Any, case: Any) -> None:
        failures = run_check(check, case, response)
        if not failures:
            return
        label = case.operation.label
        operation_id = case.operation.definition.raw.get("operationId") or label
        raised = [
            OpenAIFailure(
                operation=label, check=name, failure=failure, key=fingerprint(check.name, operation_id, failure)
            )
            for failure in failures
        ]
        if len(raised) == 1:
            raise raised[0]
        raise FailureGroup(raised)

    run.__name__ = run.__qualname__ = name  # schemathesis names a check after its function
    run.__doc__ = check.description
    return run


def register() -> list[str]:
    """Register every semantics and convention check; returns the names schemathesis knows."""
    names = []
    for check in CHECKS.per_response():
        if check.source in SOURCES:
            schemathesis.check(as_schemathesis_check(check))
            names.append(PREFIX + check.name)
    return names


REGISTERED = register()

__all__ = ["PREFIX", "REGISTERED", "OpenAIFailure", "register", "spec_for", "to_case", "to_response"]
