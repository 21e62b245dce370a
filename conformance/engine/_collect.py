"""The ``RunResult`` of a run (docs/results.md), built from the runner's tallies.

Each finding keeps its case whole (when small enough), so that ``replay`` can send it again.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit, urlunsplit

from openai_conformance.strategies import Case, FilePart

from ..checks import CHECKS
from ..results import (
    Counters,
    Ending,
    Finding,
    OperationResult,
    OperationStatus,
    RunInfo,
    RunResult,
    SpecInfo,
    TargetInfo,
    judge,
)
from ..results._tally import Failure, OperationTally, fingerprint, latency_summary

if TYPE_CHECKING:
    from openai_conformance.spec import Operation, Spec

    from ..checks._base import Response
    from ..redact import Redactor
    from ._ledger import Ledger
    from ._session import TargetSession

CASE_KEPT = 32 * 1024  # characters: a case up to this size is kept whole (``request.case``)
CASES_PER_BUG = 5  # ... for the first few findings of a bug and its shrunk ones: replay needs no more


class RunRecord(Protocol):
    """What ``collect`` reads of a finished run: the runner's, or the proxy's record of traffic."""

    spec: Spec
    options: Any  # RunOptions, or the proxy's own ProxyRunOptions
    session: TargetSession
    ledger: Ledger
    interrupted: bool
    refused: bool
    probes: list[Any]
    compare_to: Any  # the --compare-to side (a ReferenceSide), or None

    @property
    def errors(self) -> list[str]: ...

    @property
    def skipped(self) -> list[dict[str, str]]: ...

    def ending(self) -> Ending: ...


def make_finding(
    session: TargetSession,
    number: int,
    check: str,
    op: Operation,
    case: Case,
    prepared: Any,
    response: Response | None,
    failure: Failure,
) -> Finding:
    """One failure as a ``Finding``: redacted, with the request that showed it and its reproducer."""
    redact = session.clip  # redacted, then cut to a few KB: a finding never keeps a whole body
    rule = case.rule
    return Finding(
        id=f"f-{number:04d}",
        fingerprint=fingerprint(check, op.operation_id, failure),
        check=check,
        operation_id=op.operation_id,
        mode=case.mode.split(":")[0] if case.mode.startswith("negative") else case.mode,
        seed=case.seed,
        rule={"name": rule.name, "pointer": rule.pointer, "detail": rule.detail} if rule else None,
        message=redact(failure.message),
        expected=redact(str(failure.expected)),
        got=redact(str(failure.got)),
        pointer=redact(failure.pointer),
        schema_pointer=failure.schema_pointer,
        schema_excerpt=failure.schema_excerpt,
        spec_bug=failure.spec_bug,
        request={
            **session.describe_request(prepared),
            "case": case_document(case, session.redactor, _auth(session, prepared)),
        },
        response=session.describe_response(response) if response is not None else None,
        curl=session.curl(prepared, case),
        transcript=[redact(line, 500) for line in failure.transcript[:50]] if failure.transcript else None,
        example_diff=session.redactor.value(failure.example_diff),
        reference=session.redactor.value(failure.reference),  # already the reference's redaction; the target's too
        severity=CHECKS[check].severity if check in CHECKS else "error",
    )


def _auth(session: TargetSession, prepared: Any) -> str:
    """How the request was authenticated: the run's key, none, or a wrong one (an auth probe)."""
    sent = prepared.headers.get("Authorization")
    return "none" if sent is None else "key" if sent == f"Bearer {session.api_key}" else "wrong"


def case_document(case: Case, redactor: Redactor, auth: str = "key") -> dict[str, Any] | None:
    """The case as plain JSON, redacted, to send again; ``None`` when it is too big to keep."""
    form = None
    if case.form is not None:
        form = {
            name: [_part(v) for v in values] if isinstance(values, list) else _part(values)
            for name, values in case.form.items()
        }
    raw = base64.b64encode(case.raw_body).decode() if case.raw_body is not None else None
    document = redactor.value(
        {
            "operation_id": case.operation_id,
            "method": case.method,
            "path": case.path,
            "mode": case.mode,
            "path_parameters": dict(case.path_parameters),
            "query": dict(case.query),
            "headers": dict(case.headers),
            "media_type": case.media_type,
            "json": case.json,
            "form": form,
            "raw_body_base64": raw,
            "seed": case.seed,
            "auth": auth,
        }
    )
    return document if len(json.dumps(document, default=str)) <= CASE_KEPT else None


def _part(value: Any) -> Any:
    if hasattr(value, "filename"):
        return {
            "filename": value.filename,
            "content_type": value.content_type,
            "content_base64": base64.b64encode(value.content).decode(),
        }
    return str(value)


def case_from_document(document: dict[str, Any]) -> Case:
    """The ``Case`` that ``case_document`` kept (its rule aside: the finding names it)."""

    def part(value: Any) -> Any:
        if isinstance(value, dict):
            return FilePart(value["filename"], value["content_type"], base64.b64decode(value["content_base64"]))
        return value

    form = document.get("form")
    if form is not None:
        form = {
            name: [part(v) for v in values] if isinstance(values, list) else part(values)
            for name, values in form.items()
        }
    raw = document.get("raw_body_base64")
    return Case(
        document["operation_id"],
        document["method"],
        document["path"],
        mode=document["mode"],
        path_parameters=dict(document["path_parameters"]),
        query=dict(document["query"]),
        headers=dict(document["headers"]),
        media_type=document["media_type"],
        json=document["json"],
        form=form,
        raw_body=base64.b64decode(raw) if raw is not None else None,
        seed=document["seed"],
    )


def is_warning(check: str) -> bool:
    """Whether a check's failures are warnings: shown and counted, no verdict of the run or operation."""
    return check in CHECKS and CHECKS[check].severity == "warning"


def _operation_result(runner: RunRecord, op: Operation) -> OperationResult:
    tally = runner.ledger.tallies.get(op.operation_id) or OperationTally()
    failed = any(c["failed"] for name, c in tally.checks.items() if not is_warning(name))
    status = tally.status
    if status is None and tally.not_implemented:
        status = "not_implemented"
    skip_reason = tally.skip_reason
    if status is None and not failed and tally.statuses and set(tally.statuses) == {"401"}:
        status, skip_reason = "skipped", "refused: every request was answered 401"  # no score, not 100 %
    if status is None:
        status = "failed" if failed else "passed" if tally.cases_by_mode or tally.statuses else "skipped"
    return OperationResult(
        operation_id=op.operation_id,
        method=op.method,
        path=op.path,
        tags=list(op.tags),
        deprecated=op.deprecated,
        status=OperationStatus(status),
        skip_reason=skip_reason if status == "skipped" else None,
        cases=sum(tally.cases_by_mode.values()),
        cases_by_mode=dict(tally.cases_by_mode),
        documented_statuses=list(op.responses),
        statuses_seen=dict(sorted(tally.statuses.items())),
        latency_ms=latency_summary(tally.latencies),
        checks={name: {"passed": c["passed"], "failed": c["failed"]} for name, c in sorted(tally.checks.items())},
        properties_exercised=sorted(tally.properties),
        negative_rules=sorted(tally.negative_rules),
    )


def collect(runner: RunRecord, started_at: datetime, duration: float) -> RunResult:
    """The ``RunResult`` of a finished run, read from the runner (which it leaves as it is)."""
    spec, options, session = runner.spec, runner.options, runner.session
    operations = [_operation_result(runner, op) for op in spec.operations]
    missing = {o.operation_id for o in operations if o.status == "not_implemented"}
    findings = [replace(f, id=f"f-{n:04d}") for n, f in enumerate(_thinned(_kept(runner.ledger.findings, missing)), 1)]
    warnings = sum(f.severity == "warning" for f in findings)
    verdict, exit_code = judge(runner.ending(), len(findings) - warnings, len(missing))
    finished_at = started_at + timedelta(seconds=duration)
    return RunResult(
        spec=SpecInfo(
            spec.name, spec.title, spec.version, spec.location, spec.sha256, options.strict_spec, list(options.errata)
        ),
        target=TargetInfo(
            session.redactor.text(without_userinfo(session.base_url)),
            options.reference_server,
            list(options.faults),
            _compare_to(runner),
        ),
        run=RunInfo(
            seed=options.seed,
            started_at=_iso(started_at),
            finished_at=_iso(finished_at),
            duration_s=round(duration, 3),
            modes=list(options.modes),
            max_examples=options.max_examples,
            interrupted=runner.interrupted,
            verdict=verdict,
            exit_code=exit_code,
            refused=runner.refused,
        ),
        counters=Counters(
            cases=sum(o.cases for o in operations),
            requests=session.counters.requests,
            rate_limited=session.counters.rate_limited,
            retries=session.counters.retries,
            findings=len(findings),
            not_implemented=len(missing),
            findings_dropped=runner.ledger.findings_dropped,
            cleanup=session.counters.cleanup,
            warnings=warnings,
        ),
        checks=[{"name": c.name, "description": c.description, "source": c.source} for c in CHECKS],
        operations=operations,
        findings=findings,
        skipped=list(runner.skipped),
        errors=[session.redactor.text(e) for e in runner.errors],
        probes=list(runner.probes),
    )


def _compare_to(runner: RunRecord) -> str | None:
    side = runner.compare_to
    return None if side is None else side.session.redactor.text(without_userinfo(side.session.base_url))


def _thinned(findings: Iterable[Finding]) -> Iterator[Finding]:
    """Findings with their case kept for the first ``CASES_PER_BUG`` of each bug and every shrunk one:
    a run of thousands of findings must not keep thousands of bodies."""
    seen: dict[str, int] = {}
    for finding in findings:
        seen[finding.fingerprint] = count = seen.get(finding.fingerprint, 0) + 1
        if count > CASES_PER_BUG and finding.mode != "shrink" and finding.request.get("case"):
            finding = replace(finding, request={**finding.request, "case": None})
        yield finding


def _kept(findings: list[Finding], missing: set[str]) -> Iterator[Finding]:
    """An operation the target lacks is reported once, not as a finding per case; what its
    "no such route" answer looked like is still held to the error envelope, once."""
    enveloped: set[str] = set()
    for finding in findings:
        if finding.operation_id not in missing:
            yield finding
        elif finding.check == "error_envelope" and finding.operation_id not in enveloped:
            enveloped.add(finding.operation_id)
            yield finding


def without_userinfo(url: str) -> str:
    """The URL to show: credentials in it (``user:password@``) are no one's business."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
