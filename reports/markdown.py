"""The Markdown summary (GitHub-flavoured), sized for a CI job summary.

Verdict first, then one row per operation, then the most frequent findings;
the full detail lives in the HTML report.
"""

from __future__ import annotations

from typing import Any

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
    "passed": "\u2705 passed",
    "failed": "\u274c failed",
    "not_implemented": "\u26aa not implemented",
    "skipped": "\u23ed\ufe0f skipped",
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

    def render(self, results: dict[str, Any]) -> str:
        spec, target, run = results["spec"], results["target"], results["run"]
        lines = [
            f"## OpenAI conformance: {run['verdict']}",
            "",
            f"**{verdict_line(results)}**",
            "",
            f"Target `{target['base_url']}` \u00b7 spec {spec['title']} {spec['version']} "
            f"(`{spec['sha256'][:12]}`) \u00b7 suite {results['suite']['version']} \u00b7 "
            f"seed `{seed_text(run['seed'])}` \u00b7 {run['duration_s']:.1f} s \u00b7 started {run['started_at']}",
            "",
        ]
        lines += [f"> {cell_text(error)}" for error in results["errors"]]
        lines += ["", "### Operations", ""]
        lines += table(
            ["operation", "method path", "status", "cases", "score", "failing checks"],
            [self._operation_row(op) for op in results["operations"]],
        )
        groups = group_findings(results["findings"])
        lines += ["", f"### Top findings ({len(groups)} distinct, {len(results['findings'])} in all)", ""]
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
    def _operation_row(op: dict[str, Any]) -> list[str]:
        status = _STATUS_ICONS.get(op["status"], op["status"])
        if op["skip_reason"]:
            status += f" ({op['skip_reason']})"
        return [
            code(op["operation_id"]),
            code(f"{op['method']} {op['path']}"),
            cell_text(status),
            str(op["cases"]),
            format_score(operation_score(op)),
            ", ".join(code(c) for c in failing_checks(op)),
        ]

    @staticmethod
    def _finding_row(group: FindingGroup) -> list[str]:
        first = group.first
        return [
            code(group.check) + (" (warning)" if first.get("severity") == "warning" else ""),
            code(group.operation_id),
            cell_text(first["message"]),
            code(first["pointer"]),
            str(group.count),
        ]
