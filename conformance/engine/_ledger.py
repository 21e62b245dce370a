"""The one record path of a run: every verdict counted, every failure made a finding.

The runner and the proxy both write here, so a verdict is counted the same way
whoever saw it: only the selected checks, findings capped (and the overflow
counted, never silent), each bug's first case kept for shrinking.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..checks import CHECKS
from ..checks._base import Check, CheckContext
from ..results._tally import Failure, OperationTally
from ._collect import make_finding

if TYPE_CHECKING:
    from openai_conformance.spec import Operation
    from openai_conformance.strategies import Case

    from ..results import Finding
    from ._session import TargetSession

MAX_FINDINGS = 5000


def applicable_checks(ctx: CheckContext, selected: set[str]) -> Iterator[tuple[Check, list[Failure] | Exception]]:
    """Each selected per-response check that applies to ``ctx``, with its failures (or what it raised).

    What a negative case asked says nothing of the API's semantics: those checks skip it.
    """
    for check in CHECKS.per_response():
        if check.name not in selected or not check.applies(ctx):
            continue
        if ctx.case.is_negative and check.source == "semantics":
            continue
        try:
            yield check, list(check.function(ctx))  # type: ignore[misc]
        except Exception as exc:  # noqa: BLE001 - a broken check must not lose the run
            yield check, exc


@dataclass
class Ledger:
    """Tallies per operation and the findings of a run, written through ``verdict`` only."""

    session: TargetSession  # describes and redacts each finding's request
    selected: set[str]  # the checks the user chose: the others are neither counted nor reported
    tallies: dict[str, OperationTally] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    findings_dropped: int = 0  # past MAX_FINDINGS: counted in the results
    bugs: dict[str, tuple[Operation, Case, str]] = field(default_factory=dict)  # fingerprint -> first case

    def tally(self, operation_id: str) -> OperationTally:
        return self.tallies.setdefault(operation_id, OperationTally())

    def sent(self, operation_id: str, case: Case) -> None:
        """What a request exercised: its properties, and the rule a negative case breaks."""
        tally = self.tally(operation_id)
        if isinstance(case.json, dict):
            tally.properties.update(case.json)
        elif case.form:
            tally.properties.update(case.form)
        if case.rule is not None:
            tally.negative_rules.add(case.rule.name)

    def verdict(
        self,
        check: str,
        op: Operation,
        case: Case,
        prepared: Any,
        response: Any,
        failure: Failure | None,
        more: Iterable[Failure] = (),
    ) -> None:
        """One check's verdict on one response: passed, or failed with each failure a finding."""
        if check not in self.selected:
            return
        self.tally(op.operation_id).checks[check]["failed" if failure else "passed"] += 1
        for item in [failure, *more] if failure else []:
            self.finding(check, op, case, prepared, response, item)

    def finding(self, check: str, op: Operation, case: Case, prepared: Any, response: Any, failure: Failure) -> None:
        """A failure kept as a finding (a probe's: no verdict of an operation to count)."""
        if len(self.findings) >= MAX_FINDINGS:
            self.findings_dropped += 1
            return
        finding = make_finding(self.session, len(self.findings) + 1, check, op, case, prepared, response, failure)
        self.findings.append(finding)
        if case.mode in ("positive", "example") and CHECKS[check].function is not None:
            self.bugs.setdefault(finding.fingerprint, (op, case, check))
