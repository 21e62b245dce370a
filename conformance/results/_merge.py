"""Sharded runs joined: ``report merge A.json B.json ...`` makes one ``RunResult`` of slices.

Each slice ran the same spec against the same target with ``--shard I/N``; their
operations' counts add up, their findings join (renumbered), and the verdict is
judged again from the joined counts and the worst ending.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from . import Counters, Ending, OperationResult, OperationStatus, RunResult, Verdict, judge
from ._tally import latency_merge


def merge_results(slices: list[RunResult]) -> RunResult:
    """One result of several slices of one run (the first slice's spec, target and seed)."""
    first = slices[0]
    by_id: dict[str, list[OperationResult]] = {}
    for result in slices:
        for op in result.operations:
            by_id.setdefault(op.operation_id, []).append(op)
    operations = [_merge_operation(ops) for ops in by_id.values()]
    findings = [replace(f, id=f"f-{n:04d}") for n, f in enumerate((f for r in slices for f in r.findings), 1)]
    missing = sum(o.status == "not_implemented" for o in operations)
    verdicts = {r.verdict for r in slices}
    ending = Ending(
        unreachable=Verdict.UNREACHABLE in verdicts,
        interrupted=Verdict.INTERRUPTED in verdicts,
        broken=any(r.exit_code == 70 for r in slices),
        budget_spent=Verdict.INCOMPLETE in verdicts,
    )
    warnings = sum(f.severity == "warning" for f in findings)
    verdict, exit_code = judge(ending, len(findings) - warnings, missing)
    total = Counter[str]()
    for result in slices:
        total.update({k: v for k, v in vars(result.counters).items()})
    counters = Counters(**{**dict(total), "findings": len(findings), "not_implemented": missing, "warnings": warnings})
    run = replace(
        first.run,
        verdict=verdict,
        exit_code=exit_code,
        interrupted=ending.interrupted,
        duration_s=round(max(r.run.duration_s for r in slices), 3),
        finished_at=max((r.run.finished_at or "") for r in slices) or None,
    )
    return replace(
        first,
        run=run,
        counters=counters,
        operations=operations,
        findings=findings,
        skipped=_unique([s for r in slices for s in r.skipped]),
        errors=[e for r in slices for e in r.errors],
        probes=[p for r in slices for p in r.probes],
    )  # slice 1 probes, wherever it is listed


def _merge_operation(ops: list[OperationResult]) -> OperationResult:
    ran = [o for o in ops if o.status is not OperationStatus.SKIPPED] or ops[:1]
    statuses = {o.status for o in ran}
    order = (OperationStatus.FAILED, OperationStatus.NOT_IMPLEMENTED, OperationStatus.PASSED, OperationStatus.SKIPPED)
    status = next(s for s in order if s in statuses)
    checks: dict[str, Counter[str]] = {}
    for op in ran:
        for name, counts in op.checks.items():
            checks.setdefault(name, Counter()).update(counts)
    return replace(
        ran[0],
        status=status,
        skip_reason=ran[0].skip_reason if status is OperationStatus.SKIPPED else None,
        cases=sum(o.cases for o in ran),
        cases_by_mode=dict(sum((Counter(o.cases_by_mode) for o in ran), Counter())),
        statuses_seen=dict(sorted(sum((Counter(o.statuses_seen) for o in ran), Counter()).items())),
        latency_ms=latency_merge([o.latency_ms for o in ran]),
        checks={n: {"passed": c["passed"], "failed": c["failed"]} for n, c in sorted(checks.items())},
        properties_exercised=sorted({p for o in ran for p in o.properties_exercised}),
        negative_rules=sorted({r for o in ran for r in o.negative_rules}),
    )


def _unique(items: list[dict[str, str]]) -> list[dict[str, str]]:
    seen: list[dict[str, str]] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen
