"""One target across spec versions: each version's run, joined with the spec diff.

``run --spec A --spec B`` runs the target against each document; this builds
the document that says, per operation, how the target fares under each version
and which findings stand where the spec changed between consecutive versions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openai_conformance.spec import Spec

    from ..results import RunResult

FORMAT = "openai-conformance/versions"


def across_versions(runs: list[tuple[Spec, RunResult]]) -> dict[str, Any]:
    """The cross-version summary of ``runs`` (in the order the versions were given)."""
    from openai_conformance.spec import diff_specs

    from ..results import OperationStatus

    names = [result.spec.name for _, result in runs]
    operations: dict[str, dict[str, str]] = {}
    for name, (_, result) in zip(names, runs, strict=True):
        for op in result.operations:
            operations.setdefault(op.operation_id, {})[name] = op.status.value
    steps = []
    for (old_spec, old), (new_spec, new) in zip(runs, runs[1:], strict=False):
        diff = diff_specs(old_spec, new_spec)
        changed: dict[Any, Any] = {}
        for change in diff.changes:
            changed.setdefault(change.operation_id, []).append(change)
        before = {(f.check, f.operation_id) for f in old.findings}
        attributed: list[dict[str, Any]] = []
        for finding in new.findings:
            changes = changed.get(finding.operation_id, [])
            if changes and (finding.check, finding.operation_id) not in before:
                attributed.append(
                    {
                        "finding": finding.id,
                        "check": finding.check,
                        "operation_id": finding.operation_id,
                        "message": finding.message,
                        "changes": [c.message for c in changes[:5]],
                    }
                )
        for op in new.operations:
            changes = changed.get(op.operation_id, [])
            if op.status is OperationStatus.NOT_IMPLEMENTED and changes:
                attributed.append(
                    {
                        "finding": None,
                        "check": "not_implemented",
                        "operation_id": op.operation_id,
                        "message": "the target does not implement this operation",
                        "changes": [c.message for c in changes[:5]],
                    }
                )
        steps.append(
            {
                "old": old.spec.name,
                "new": new.spec.name,
                "changes": len(diff.changes),
                "breaking": len(diff.breaking),
                "findings_from_changes": attributed,
            }
        )
    return {
        "format": FORMAT,
        "target": runs[0][1].target.base_url if runs else "",
        "versions": [
            {
                "name": r.spec.name,
                "version": r.spec.version,
                "verdict": r.verdict.value,
                "cases": r.counters.cases,
                "findings": r.counters.findings,
            }
            for _, r in runs
        ],
        "operations": [
            {"operation_id": op_id, "statuses": [statuses.get(name, "absent") for name in names]}
            for op_id, statuses in operations.items()
        ],
        "steps": steps,
    }
