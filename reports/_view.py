"""What every reporter derives from a run's result: scores, matrix cells, folded findings.

Kept in one place so HTML, Markdown and JUnit agree on what "score" and
"failed cell" mean.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from openai_conformance.results import REFUSED_HEADLINE, Finding, OperationResult, OperationStatus, RunResult

SCORE_DEFINITION = (
    "Conformance score = passed check applications / all check applications "
    "(each check applied to each response counts once); not run and not applicable count for nothing."
)

# Cell states of the operations x checks matrix: label, symbol (never colour alone).
CELL_STATES: dict[str, tuple[str, str]] = {
    "pass": ("pass", "\u2713"),
    "fail": ("fail", "\u2717"),
    "not-run": ("not run", "\u2013"),
    "n/a": ("not applicable", "\u00b7"),
}

# Operation statuses in which no check ran at all.
NOT_RUN_STATUSES = frozenset(status for status in OperationStatus if not status.ran)


@dataclass(frozen=True)
class Cell:
    """One operation x check cell of the matrix."""

    state: str  # a key of CELL_STATES
    passed: int = 0
    failed: int = 0

    @property
    def label(self) -> str:
        return CELL_STATES[self.state][0]

    @property
    def symbol(self) -> str:
        return CELL_STATES[self.state][1]


@dataclass
class FindingGroup:
    """Findings with one fingerprint (same check, operation, violation), folded into one."""

    fingerprint: str
    first: Finding
    members: list[Finding] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.members)

    @property
    def check(self) -> str:
        return self.first.check

    @property
    def operation_id(self) -> str:
        return self.first.operation_id

    @property
    def anchor(self) -> str:
        return f"g-{self.fingerprint[:16]}"

    @property
    def seeds(self) -> list[int]:
        return sorted({m.seed for m in self.members if m.seed is not None})


def seed_text(seed: Any) -> str:
    """A seed for display: example and stateful cases may have none."""
    return "none" if seed is None else str(seed)


def score(passed: int, failed: int) -> float | None:
    """Share of passed check applications, or None when nothing was checked."""
    total = passed + failed
    return passed / total if total else None


def format_score(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 100:.1f}%"


def operation_totals(operation: OperationResult) -> tuple[int, int]:
    """(passed, failed) check applications of one operation."""
    counts = operation.checks.values()
    return sum(c["passed"] for c in counts), sum(c["failed"] for c in counts)


def operation_score(operation: OperationResult) -> float | None:
    """None for an operation that did not run (skipped, refused with 401, not implemented): no 100 %."""
    if not operation.status.ran:
        return None
    return score(*operation_totals(operation))


def overall_score(result: RunResult) -> float | None:
    """The share over the operations that ran only."""
    passed = failed = 0
    for operation in result.operations:
        if not operation.status.ran:
            continue
        p, f = operation_totals(operation)
        passed, failed = passed + p, failed + f
    return score(passed, failed)


def cell(operation: OperationResult, check: str) -> Cell:
    """State of ``check`` on ``operation``: fail beats pass; skipped operations are not run."""
    if not operation.status.ran:
        return Cell("not-run")
    counts = operation.checks.get(check)
    if counts is None:
        return Cell("n/a")
    state = "fail" if counts["failed"] else "pass"
    return Cell(state, counts["passed"], counts["failed"])


def check_names(result: RunResult) -> list[str]:
    """Checks of the catalogue in its order, then any check only seen in operations or findings."""
    names = [c["name"] for c in result.checks]
    seen = set(names)
    extra: set[str] = set()
    for operation in result.operations:
        extra.update(operation.checks)
    extra.update(f.check for f in result.findings)
    return names + sorted(extra - seen)


def group_findings(findings: Iterable[Finding]) -> list[FindingGroup]:
    """Fold findings by fingerprint; groups ordered by check, operation, then first id."""
    groups: dict[str, FindingGroup] = {}
    for finding in findings:
        group = groups.get(finding.fingerprint)
        if group is None:
            group = groups[finding.fingerprint] = FindingGroup(finding.fingerprint, finding)
        group.members.append(finding)
    return sorted(groups.values(), key=lambda g: (g.check, g.operation_id, g.first.id))


def top_groups(groups: Sequence[FindingGroup], limit: int) -> list[FindingGroup]:
    """The most frequent folded findings first (ties in catalogue order)."""
    return sorted(groups, key=lambda g: -g.count)[:limit]


def mode_counts(operation: OperationResult, run_modes: Sequence[str]) -> list[tuple[str, int]]:
    """Cases by mode in the order the run's modes were given (a saved document's keys are sorted)."""
    rank = {mode: index for index, mode in enumerate(run_modes)}
    return sorted(
        operation.cases_by_mode.items(), key=lambda item: (rank.get(item[0].split(":")[0], len(rank)), item[0])
    )


def failing_checks(operation: OperationResult) -> list[str]:
    return sorted(name for name, c in operation.checks.items() if c["failed"])


def operations_run(result: RunResult) -> int:
    return sum(op.status.ran for op in result.operations)


def verdict_line(result: RunResult) -> str:
    """One line: the verdict in capitals and the counts behind it."""
    run, counters = result.run, result.counters
    return (
        (f"{REFUSED_HEADLINE}: " if run.refused else "")
        + f"{run.verdict.value.upper()}: {counters.findings} findings, "
        f"{counters.cases} cases, {operations_run(result)} of {len(result.operations)} operations run, "
        f"score {format_score(overall_score(result))}"
    )
