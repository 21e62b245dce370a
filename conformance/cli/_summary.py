"""What ``run`` prints when it ends: the table, the verdict, then each bug with its smallest curl.

A bug is a fingerprint (check, operation, where, what kind of mismatch); its
cases are counted and the smallest reproducer is shown, as schemathesis prints
a curl per failure.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

from ..results import REFUSED_HEADLINE, Finding, OperationStatus, RunResult
from ._colour import Painter

SHOWN_BUGS = 10


def print_summary(
    results: RunResult, paths: dict[str, Path], *, quiet: bool = False, painter: Painter | None = None
) -> None:
    """The table, the verdict line, the bugs and the report paths; ``quiet``: the verdict and errors only."""
    painter = painter or Painter(on=False)
    if results.run.refused:
        print(REFUSED_HEADLINE)  # on top: nothing below was tested
    run, counters, verdict_name = results.run, results.counters, results.verdict.value
    bugs = group_bugs(results.findings)
    cleanup = f" (and {counters.cleanup} to clean up)" if counters.cleanup else ""
    verdict = (
        f"{verdict_name.upper()}: {counters.cases} cases, {counters.requests} requests{cleanup}, "
        f"{counters.findings} findings in {len(bugs)} bugs{_warned(counters.warnings)}, "
        f"{counters.not_implemented} not implemented, "
        f"{counters.rate_limited} rate-limited, in {run.duration_s:.1f} s (seed {run.seed})"
    )
    if quiet:
        print(painter.verdict(verdict, verdict_name))
        for error in results.errors:
            print(f"error: {error}")
        return
    _print_table(results)
    print(f"\n{painter.verdict(verdict, verdict_name)}")
    if counters.findings_dropped:
        print(f"{counters.findings_dropped} more findings were not kept (the cap on stored findings)")
    for bug in bugs[:SHOWN_BUGS]:
        smallest = bug[0]
        header = f"{smallest.check} · {smallest.operation_id or smallest.mode}"
        warning = smallest.severity == "warning"
        header += " (warning)" if warning else ""
        colour = "yellow" if warning else "red"
        print(f"\n{painter.paint(header, 'bold', colour)} ({len(bug)} case{'s' * (len(bug) > 1)})")
        print(f"  {smallest.message}: expected {smallest.expected}, got {smallest.got}")
        if smallest.curl:
            print(f"  {smallest.curl}")
    if len(bugs) > SHOWN_BUGS:
        print(f"\n... and {len(bugs) - SHOWN_BUGS} more bugs in the report")
    if bugs and results.target.reference_server:
        print(f"\nthe same server for these curls: {serve_line(results)}")
    for error in results.errors:
        print(f"error: {error}")
    for fmt, path in paths.items():
        print(f"{fmt} report: {path}")


def _warned(count: int) -> str:
    """`` (3 warnings)`` when some findings are warnings (they leave the verdict alone)."""
    return f" ({count} warning{'s' * (count != 1)})" if count else ""


def _print_table(results: RunResult) -> None:
    """One row per operation tested: its cases, findings and status."""
    findings = Counter(f.operation_id for f in results.findings)
    rows = [o for o in results.operations if o.status is not OperationStatus.SKIPPED]
    width = max([len(o.operation_id) for o in rows] + [9])
    print(f"{'operation':<{width}}  {'cases':>5}  {'findings':>8}  status")
    for op in rows:
        print(f"{op.operation_id:<{width}}  {op.cases:>5}  {findings[op.operation_id]:>8}  {op.status.value}")


def group_bugs(findings: list[Finding]) -> list[list[Finding]]:
    """Findings grouped by fingerprint, each group's smallest reproducer first, biggest groups first."""
    groups: dict[str, list[Finding]] = {}
    for finding in findings:
        groups.setdefault(finding.fingerprint, []).append(finding)
    for group in groups.values():
        group.sort(key=lambda f: len(f.curl or ""))
    return sorted(groups.values(), key=lambda g: (-len(g), g[0].check, g[0].operation_id))


def serve_line(results: RunResult) -> str:
    """The command that starts the embedded server of this run again, on the port its curls name."""
    port = urlsplit(results.target.base_url).port
    faults = "".join(f" --fault {f}" for f in results.target.faults)
    return f"openai-conformance serve --spec {results.spec.name} --port {port}{faults}"
