"""The ``RunResult`` of a run (docs/results.md), built from the runner's tallies."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from ._results import Failure, OperationTally, fingerprint, latency_summary
from .checks import CHECKS
from .results import (
    Counters,
    Finding,
    OperationResult,
    RunInfo,
    RunResult,
    SpecInfo,
    TargetInfo,
    judge,
)

if TYPE_CHECKING:
    from openai_conformance.spec import Operation
    from openai_conformance.strategies import Case

    from ._checks_base import Response
    from ._runner import Runner
    from ._session import TargetSession


def make_finding(session: TargetSession, number: int, check: str, op: Operation, case: Case, prepared: Any,
                 response: Response | None, failure: Failure) -> Finding:
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
        request=session.describe_request(prepared),
        response=session.describe_response(response) if response is not None else None,
        curl=session.curl(prepared, case),
        transcript=[redact(line, 500) for line in failure.transcript[:50]] if failure.transcript else None,
        example_diff=session.redactor.value(failure.example_diff),
    )


def _operation_result(runner: Runner, op: Operation) -> OperationResult:
    tally = runner.tallies.get(op.operation_id) or OperationTally()
    failed = any(c["failed"] for c in tally.checks.values())
    status = tally.status
    if status is None and tally.not_implemented:
        status = "not_implemented"
    if status is None:
        status = "failed" if failed else "passed" if tally.cases_by_mode or tally.statuses else "skipped"
    return OperationResult(
        operation_id=op.operation_id,
        method=op.method,
        path=op.path,
        tags=list(op.tags),
        deprecated=op.deprecated,
        status=status,
        skip_reason=tally.skip_reason if status == "skipped" else None,
        cases=sum(tally.cases_by_mode.values()),
        cases_by_mode=dict(tally.cases_by_mode),
        documented_statuses=list(op.responses),
        statuses_seen=dict(sorted(tally.statuses.items())),
        latency_ms=latency_summary(tally.latencies),
        checks={name: {"passed": c["passed"], "failed": c["failed"]} for name, c in sorted(tally.checks.items())},
        properties_exercised=sorted(tally.properties),
        negative_rules=sorted(tally.negative_rules),
    )


def collect(runner: Runner, started_at: datetime, duration: float) -> RunResult:
    """The ``RunResult`` of a finished run, read from the runner (which it leaves as it is)."""
    spec, options, session = runner.spec, runner.options, runner.session
    operations = [_operation_result(runner, op) for op in spec.operations]
    missing = {o.operation_id for o in operations if o.status == "not_implemented"}
    # An operation the target lacks is reported once, not as a finding per case.
    findings = [replace(f, id=f"f-{n:04d}") for n, f in
                enumerate((f for f in runner.findings if f.operation_id not in missing), 1)]
    verdict, exit_code = judge(runner.ending(), len(findings), len(missing))
    finished_at = started_at + timedelta(seconds=duration)
    return RunResult(
        spec=SpecInfo(spec.name, spec.title, spec.version, spec.location, spec.sha256,
                      options.strict_spec, list(options.errata)),
        target=TargetInfo(session.redactor.text(without_userinfo(session.base_url)),
                          options.reference_server, list(options.faults)),
        run=RunInfo(
            seed=options.seed, started_at=_iso(started_at), finished_at=_iso(finished_at),
            duration_s=round(duration, 3), modes=list(options.modes), max_examples=options.max_examples,
            interrupted=runner.interrupted, verdict=verdict, exit_code=exit_code,
        ),
        counters=Counters(
            cases=sum(o.cases for o in operations),
            requests=session.counters.requests,
            rate_limited=session.counters.rate_limited,
            retries=session.counters.retries,
            findings=len(findings),
            not_implemented=len(missing),
            findings_dropped=runner.findings_dropped,
        ),
        checks=[{"name": c.name, "description": c.description, "source": c.source} for c in CHECKS],
        operations=operations,
        findings=findings,
        skipped=list(runner.skipped),
        errors=[session.redactor.text(e) for e in runner.errors],
    )


def without_userinfo(url: str) -> str:
    """The URL to show: credentials in it (``user:password@``) are no one's business."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
