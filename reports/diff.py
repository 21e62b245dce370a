"""The diff of two runs: regressions, fixed, unchanged findings, and changes of coverage.

Findings are matched across runs by fingerprint (check + operation + violation),
never by case seed, so a re-run with another seed does not look like churn.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from openai_conformance.results import OperationResult, RunResult

from ._view import group_findings


@dataclass(frozen=True)
class FindingChange:
    """One fingerprint and how often it was found in the old and the new run."""

    fingerprint: str
    check: str
    operation_id: str
    message: str
    pointer: str
    old_count: int
    new_count: int


@dataclass(frozen=True)
class CoverageChange:
    """Something exercised in one run and not the other; ``operation_id`` None means the whole run."""

    operation_id: str | None
    aspect: str  # a key of COVERAGE_ASPECTS, or "operation", "status", "run modes"
    before: str
    after: str


@dataclass(frozen=True)
class RunDiff:
    """What changed from ``old`` to ``new``; ``not_rechecked``: old findings whose operation or
    check did not run in the new run, so they are neither fixed nor still there."""

    regressions: list[FindingChange]
    fixed: list[FindingChange]
    unchanged: list[FindingChange]
    coverage_changes: list[CoverageChange]
    not_rechecked: list[FindingChange] = field(default_factory=list)
    old: dict[str, Any] = field(default_factory=dict)  # summary of each run for the header
    new: dict[str, Any] = field(default_factory=dict)

    @property
    def has_regressions(self) -> bool:
        return bool(self.regressions)


# Per-operation sets compared between runs: aspect -> how to read the set from an operation.
COVERAGE_ASPECTS: dict[str, Callable[[OperationResult], set[str]]] = {
    "modes": lambda op: set(op.cases_by_mode),
    "statuses seen": lambda op: set(op.statuses_seen),
    "checks applied": lambda op: set(op.checks),
    "properties exercised": lambda op: set(op.properties_exercised),
    "negative rules": lambda op: set(op.negative_rules),
}


def _summary(result: RunResult) -> dict[str, Any]:
    return {
        "verdict": result.verdict.value,
        "started_at": result.run.started_at,
        "seed": result.run.seed,
        "target": result.target.base_url,
        "spec": f"{result.spec.name} ({result.spec.sha256[:12]})",
        "findings": len(result.findings),
        "cases": result.counters.cases,
    }


def _joined(items: Iterable[str]) -> str:
    return ", ".join(sorted(items)) or "-"


def coverage_changes(old: RunResult, new: RunResult) -> list[CoverageChange]:
    """Operations, statuses, modes and other coverage sets that differ between the runs."""
    changes: list[CoverageChange] = []
    old_modes, new_modes = set(old.run.modes), set(new.run.modes)
    if old_modes != new_modes:
        changes.append(CoverageChange(None, "run modes", _joined(old_modes), _joined(new_modes)))
    old_ops = {op.operation_id: op for op in old.operations}
    new_ops = {op.operation_id: op for op in new.operations}
    for op_id in sorted(old_ops.keys() | new_ops.keys()):
        before, after = old_ops.get(op_id), new_ops.get(op_id)
        if before is None or after is None:
            changes.append(
                CoverageChange(
                    op_id,
                    "operation",
                    before.status.value if before else "absent",
                    after.status.value if after else "absent",
                )
            )
            continue
        if before.status != after.status:
            changes.append(CoverageChange(op_id, "status", before.status.value, after.status.value))
        for aspect, read in COVERAGE_ASPECTS.items():
            was, now = read(before), read(after)
            if was != now:
                lost, gained = was - now, now - was
                changes.append(
                    CoverageChange(
                        op_id,
                        aspect,
                        "lost: " + _joined(lost) if lost else "-",
                        "gained: " + _joined(gained) if gained else "-",
                    )
                )
    return changes


def _rechecked(new: RunResult) -> set[tuple[str, str]]:
    """(operation, check) pairs the new run actually applied."""
    return {(op.operation_id, check) for op in new.operations if op.status.ran for check in op.checks}


def diff_runs(old: RunResult, new: RunResult) -> RunDiff:
    """Compare two runs' results.

    Example: ``d = diff_runs(load_results("a.json"), load_results("b.json")); d.has_regressions``.
    Matching is by fingerprint; each list is ordered by check, operation.
    """
    old_groups = {g.fingerprint: g for g in group_findings(old.findings)}
    new_groups = {g.fingerprint: g for g in group_findings(new.findings)}
    rechecked = _rechecked(new)

    def change(fp: str) -> FindingChange:
        g = new_groups.get(fp) or old_groups[fp]
        old_count = old_groups[fp].count if fp in old_groups else 0
        new_count = new_groups[fp].count if fp in new_groups else 0
        return FindingChange(fp, g.check, g.operation_id, g.first.message, g.first.pointer, old_count, new_count)

    def ordered(fps: Iterable[str]) -> list[FindingChange]:
        return sorted((change(fp) for fp in fps), key=lambda c: (c.check, c.operation_id, c.message))

    gone = old_groups.keys() - new_groups.keys()
    fixed = {fp for fp in gone if (old_groups[fp].operation_id, old_groups[fp].check) in rechecked}
    return RunDiff(
        regressions=ordered(new_groups.keys() - old_groups.keys()),
        fixed=ordered(fixed),
        unchanged=ordered(new_groups.keys() & old_groups.keys()),
        coverage_changes=coverage_changes(old, new),
        not_rechecked=ordered(gone - fixed),
        old=_summary(old),
        new=_summary(new),
    )
