"""The cross-version report: one target, several spec versions, joined with the spec diff.

Renders the ``openai-conformance/versions`` document that ``run --spec A --spec B``
builds: a matrix of operations by versions, and per step from one version to
the next the findings that stand where the spec changed.
"""

from __future__ import annotations

import json
from typing import Any

from ._errors import UnknownFormat
from .html import environment
from .markdown import code, table

VERSION_FORMATS = ("json", "markdown", "html")


def render_versions(summary: dict[str, Any], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(summary, indent=2, sort_keys=True) + "\n"
    if fmt == "markdown":
        return _markdown(summary)
    if fmt == "html":
        return environment().get_template("versions.html.j2").render(summary=summary, suite_version="")
    raise UnknownFormat(f"format={fmt!r}: expected one of {', '.join(VERSION_FORMATS)}")


def _markdown(summary: dict[str, Any]) -> str:
    names = [v["name"] for v in summary["versions"]]
    lines = [f"## One target across {len(names)} spec versions", ""]
    lines += table(
        ["version", "verdict", "cases", "findings"],
        [[code(v["name"]), v["verdict"], str(v["cases"]), str(v["findings"])] for v in summary["versions"]],
    )
    lines += ["", "### Operations", ""]
    lines += table(["operation", *names], [[code(op["operation_id"]), *op["statuses"]] for op in summary["operations"]])
    for step in summary["steps"]:
        lines += [
            "",
            f"### {step['old']} → {step['new']}: {step['changes']} spec changes ({step['breaking']} breaking)",
            "",
        ]
        found = step["findings_from_changes"]
        if found:
            lines += table(
                ["check", "operation", "finding", "where the spec changed"],
                [
                    [
                        code(f["check"]),
                        code(f["operation_id"]),
                        f["message"].replace("|", "\\|"),
                        "; ".join(f["changes"]).replace("|", "\\|"),
                    ]
                    for f in found
                ],
            )
        else:
            lines.append("No finding comes from a change between these versions.")
    return "\n".join(lines) + "\n"
