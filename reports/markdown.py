"""The Markdown summary (GitHub-flavoured), sized for a CI job summary.

Verdict first, then one row per operation, then the most frequent findings;
the full detail lives in the HTML report.
"""

from __future__ import annotations

from typing import Any

from openai_conformance.results import OperationResult, OperationStatus, RunResult

from ._view import (
    SCORE_DEFINITION,
    FindingGroup,
    failing_checks,
    format_score,
    group_findings,
    operation_score,
    seed_text,
    top_groups,
    verdict_line,
)

TOP_FINDINGS = 10
_STATUS_ICONS = {
    OperationStatus.PASSED: "\u2705 passed",
    OperationStatus.FAILED: "\u274c failed",
    OperationStatus.NOT_IMPLEMENTED: "\u26aa not implemented",
    OperationStatus.SKIPPED: "\u23ed\ufe0f skipped",
}


def cell_text(value: Any) -> str:
    """Make ``value`` safe inside a table cell: no pipes, no newlines."""
    return str(value).replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def code(value: Any) -> str:
    text = cell_text(value).replace("`", "'")
    return f"`{text}`" if text else ""


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


class MarkdownReporter:
    name = "markdown"
    extension = "md"

    def render(self, result: RunResult) -> str:
        spec, target, run = result.spec, result.target, result.run
        lines = [
            f"## OpenAI conformance: {run.verdict.value}",
            "",
            f"**{verdict_line(result)}**",
            "",
            f"Target `{target.base_url}` \u00b7 spec {spec.title} {spec.version} "
            f"(`{spec.sha256[:12]}`) \u00b7 suite {result.suite.version} \u00b7 "
            f"seed `{seed_text(run.seed)}` \u00b7 {run.duration_s:.1f} s \u00b7 started {run.started_at}",
            "",
        ]
        lines += [f"> {cell_text(error)}" for error in result.errors]
        lines += ["", "### Operations", ""]
        lines += table(
            ["operation", "method path", "status", "cases", "score", "failing checks"],
            [self._operation_row(op) for op in result.operations],
        )
        groups = group_findings(result.findings)
        lines += ["", f"### Top findings ({len(groups)} distinct, {len(result.findings)} in all)", ""]
        if groups:
            lines += table(
                ["check", "operation", "what went wrong", "pointer", "count"],
                [self._finding_row(g) for g in top_groups(groups, TOP_FINDINGS)],
            )
        else:
            lines.append("No findings.")
        lines += ["", f"_{SCORE_DEFINITION}_", ""]
        return "\n".join(lines)

    @staticmethod
    def _operation_row(op: OperationResult) -> list[str]:
        status = _STATUS_ICONS[op.status]
        if op.skip_reason:
            status += f" ({op.skip_reason})"
        return [
            code(op.operation_id),
            code(f"{op.method} {op.path}"),
            cell_text(status),
            str(op.cases),
            format_score(operation_score(op)),
            ", ".join(code(c) for c in failing_checks(op)),
        ]

    @staticmethod
    def _finding_row(group: FindingGroup) -> list[str]:
        first = group.first
        return [
            code(group.check) + (" (warning)" if first.severity == "warning" else ""),
            code(group.operation_id),
            cell_text(first.message),
            code(first.pointer),
            str(group.count),
        ]
