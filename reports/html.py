"""The HTML report: one self-contained page (HTML5, inline CSS/JS/SVG, no requests) per run.

Rendered from ``templates/report.html.j2`` with autoescaping on; the page's
Content-Security-Policy forbids every fetch, so it works offline from file://.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import jinja2

from openai_conformance.results import FORMAT_VERSION, OperationStatus, RunResult

from . import _excerpt
from ._charts import latency_chart
from ._view import (
    CELL_STATES,
    SCORE_DEFINITION,
    FindingGroup,
    cell,
    check_names,
    format_score,
    group_findings,
    mode_counts,
    operation_score,
    operation_totals,
    overall_score,
    seed_text,
    verdict_line,
)

# Row verdicts used by the filter: the operation statuses, with the two not-run ones merged.
ROW_VERDICTS = {status: status.value if status.ran else "not-run" for status in OperationStatus}
INITIALLY_OPEN = 20  # finding groups shown unfolded on load; the rest open on click


def slug(*parts: str) -> str:
    return "-".join(re.sub(r"[^A-Za-z0-9_]+", "_", p) for p in parts)


@dataclass(frozen=True)
class FindingSection:
    """All folded findings of one check on one operation: the target of a failing cell."""

    check: str
    operation_id: str
    groups: list[FindingGroup]

    @property
    def anchor(self) -> str:
        return "fc-" + slug(self.check, self.operation_id)


def _static(name: str) -> str:
    return resources.files(__package__).joinpath("static", name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The Jinja2 environment of the HTML templates (autoescape on for .html.j2)."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader(__package__, "templates"),
        autoescape=jinja2.select_autoescape(["html", "html.j2"], default=True),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(
        cut=_excerpt.cut,
        pretty_json=_excerpt.pretty_json,
        body=_excerpt.body,
        headers=_excerpt.headers,
        request_line=_excerpt.request_line,
        status_line=_excerpt.status_line,
        score=format_score,
        slug=slug,
        seed=seed_text,
    )
    env.globals.update(css=_static("report.css"), js=_static("report.js"), CELL_STATES=CELL_STATES)
    return env


def sections(groups: list[FindingGroup]) -> list[FindingSection]:
    by_key: dict[tuple[str, str], list[FindingGroup]] = defaultdict(list)
    for group in groups:
        by_key[(group.check, group.operation_id)].append(group)
    return [FindingSection(check, op, items) for (check, op), items in by_key.items()]


def context(result: RunResult) -> dict[str, Any]:
    """Everything the template shows, computed once (the template only lays it out)."""
    checks = check_names(result)
    finding_sections = sections(group_findings(result.findings))
    anchors = {(s.operation_id, s.check): s.anchor for s in finding_sections}
    rows = []
    for op in result.operations:
        passed, failed = operation_totals(op)
        rows.append(
            {
                "op": op,
                "verdict": ROW_VERDICTS[op.status],
                "score": operation_score(op),
                "passed": passed,
                "failed": failed,
                "modes": mode_counts(op, result.run.modes),
                "cells": [(name, cell(op, name), anchors.get((op.operation_id, name))) for name in checks],
            }
        )
    catalogue = {c["name"]: c for c in result.checks}
    return {
        "r": result,
        "format_version": FORMAT_VERSION,
        "spec": result.spec,
        "target": result.target,
        "run": result.run,
        "verdict": result.verdict.value,
        "counters": result.counters,
        "checks": checks,
        "catalogue": catalogue,
        "rows": rows,
        "sections": finding_sections,
        "overall": overall_score(result),
        "verdict_line": verdict_line(result),
        "score_definition": SCORE_DEFINITION,
        "chart": latency_chart(result.operations),
        "initially_open": INITIALLY_OPEN,
        "operation_ids": [op.operation_id for op in result.operations],
        "finding_count": len(result.findings),
        "distinct": sum(len(s.groups) for s in finding_sections),
    }


class HtmlReporter:
    name = "html"
    extension = "html"
    template = "report.html.j2"

    def render(self, result: RunResult) -> str:
        return environment().get_template(self.template).render(**context(result))
