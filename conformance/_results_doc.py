"""The results document of a run (docs/results.md), built from the runner's tallies."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from ._checks_base import CHECKS
from ._results import FORMAT, FORMAT_VERSION, Failure, fingerprint, latency_summary

if TYPE_CHECKING:
    from openai_conformance.spec import Operation
    from openai_conformance.strategies import Case

    from ._checks_base import Response
    from ._runner import Runner

SUITE_VERSION = "0.1.0"


def finding_document(runner: Runner, check: str, op: Operation, case: Case, prepared: Any, response: Response | None, failure: Failure) -> dict[str, Any]:
    session = runner.session
    redact = session.clip  # redacted, then cut to a few KB: a finding never keeps a whole body
    rule = case.rule
    return {
        "id": f"f-{len(runner.findings) + 1:04d}",
        "fingerprint": fingerprint(check, op.operation_id, failure),
        "check": check,
        "operation_id": op.operation_id,
        "mode": case.mode.split(":")[0] if case.mode.startswith("negative") else case.mode,
        "seed": case.seed,
        "rule": {"name": rule.name, "pointer": rule.pointer, "detail": rule.detail} if rule else None,
        "message": redact(failure.message),
        "expected": redact(str(failure.expected)),
        "got": redact(str(failure.got)),
        "pointer": redact(failure.pointer),
        "schema_pointer": failure.schema_pointer,
        "schema_excerpt": failure.schema_excerpt,
        "spec_bug": failure.spec_bug,
        "request": session.describe_request(prepared),
        "response": session.describe_response(response) if response is not None else None,
        "curl": session.curl(prepared, case),
        "transcript": [redact(line, 500) for line in failure.transcript[:50]] if failure.transcript else None,
        "example_diff": session.redactor.value(failure.example_diff),
    }


def verdict_and_exit(runner: Runner, not_implemented: int) -> tuple[str, int]:
    if runner.unreachable:
        return "unreachable", 3
    if runner.interrupted:
        return "interrupted", 130
    if runner.refused:
        return "nonconformant", 2  # a usage error: nothing was tested
    if runner.broken and not (runner.findings or not_implemented):
        return "incomplete", 70  # a bug of ours skipped part of the run: never "conformant"
    if runner.incomplete and not (runner.findings or not_implemented):
        return "incomplete", 0  # the budget the user set was spent: no finding so far
    if runner.findings or not_implemented:
        return "nonconformant", 1
    return "conformant", 0


def _operation_document(runner: Runner, op: Operation) -> dict[str, Any]:
    tally = runner.tally(op.operation_id)
    failed = any(c["failed"] for c in tally.checks.values())
    status = tally.status
    if status is None and tally.not_implemented:
        status = "not_implemented"
    if status is None:
        status = "failed" if failed else "passed" if tally.cases_by_mode or tally.statuses else "skipped"
    return {
        "operation_id": op.operation_id,
        "method": op.method,
        "path": op.path,
        "tags": list(op.tags),
        "deprecated": op.deprecated,
        "status": status,
        "skip_reason": tally.skip_reason if status == "skipped" else None,
        "cases": sum(tally.cases_by_mode.values()),
        "cases_by_mode": dict(tally.cases_by_mode),
        "documented_statuses": list(op.responses),
        "statuses_seen": dict(sorted(tally.statuses.items())),
        "latency_ms": latency_summary(tally.latencies),
        "checks": {name: {"passed": c["passed"], "failed": c["failed"]} for name, c in sorted(tally.checks.items())},
        "properties_exercised": sorted(tally.properties),
        "negative_rules": sorted(tally.negative_rules),
    }


def build_results(runner: Runner, started_at: datetime, duration: float) -> dict[str, Any]:
    spec, options, session = runner.spec, runner.options, runner.session
    operations = [_operation_document(runner, op) for op in spec.operations]
    not_implemented = [o for o in operations if o["status"] == "not_implemented"]
    implemented_ids = {o["operation_id"] for o in not_implemented}
    # An operation the target lacks is reported once, not as a finding per case.
    findings = [f for f in runner.findings if f["operation_id"] not in implemented_ids]
    runner.findings[:] = findings
    verdict, exit_code = verdict_and_exit(runner, len(not_implemented))
    finished_at = started_at + timedelta(seconds=duration)
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "suite": {"name": "openai-conformance", "version": SUITE_VERSION},
        "spec": {
            "name": spec.name,
            "title": spec.title,
            "version": spec.version,
            "location": spec.location,
            "sha256": spec.sha256,
            "strict": options.strict_spec,
            "errata": list(options.errata),
        },
        "target": {
            "base_url": session.redactor.text(without_userinfo(session.base_url)),
            "reference_server": options.reference_server,
            "faults": list(options.faults),
        },
        "run": {
            "seed": options.seed,
            "started_at": _iso(started_at),
            "finished_at": _iso(finished_at),
            "duration_s": round(duration, 3),
            "modes": list(options.modes),
            "max_examples": options.max_examples,
            "interrupted": runner.interrupted,
            "verdict": verdict,
            "exit_code": exit_code,
        },
        "counters": {
            "cases": sum(o["cases"] for o in operations),
            "requests": session.counters.requests,
            "rate_limited": session.counters.rate_limited,
            "retries": session.counters.retries,
            "findings": len(findings),
            "not_implemented": len(not_implemented),
        },
        "checks": [{"name": c.name, "description": c.description, "source": c.source} for c in CHECKS],
        "operations": operations,
        "findings": findings,
        "skipped": runner.skipped,
        "lint": [],
        "errors": [session.redactor.text(e) for e in runner.errors],
    }


def without_userinfo(url: str) -> str:
    """The URL to show: credentials in it (``user:password@``) are no one's business."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
