"""``reports``: render a run's result for people (HTML) and machines (JSON, JUnit, Markdown).

Reads a ``RunResult`` (the runner's, or a saved document's: ``load_results``) and nothing else;
never sends a request.

    from openai_conformance.reports import REPORTERS, write_reports, render, diff_runs
"""

from __future__ import annotations

from ._diff_render import DIFF_FORMATS, render_diff
from ._errors import ReportError, ResultsInvalid, UnknownFormat
from ._model import load_document, load_results, report_stem, results_schema, validate_results
from ._registry import REPORTERS, Registry, Reporter
from ._write import DEFAULT_FORMATS, render, write_reports
from .diff import CoverageChange, FindingChange, RunDiff, diff_runs
from .html import HtmlReporter
from .json import JsonReporter
from .junit import JunitReporter
from .markdown import MarkdownReporter

for _reporter in (HtmlReporter(), JsonReporter(), JunitReporter(), MarkdownReporter()):
    REPORTERS.register(_reporter)

__all__ = [
    "DEFAULT_FORMATS",
    "DIFF_FORMATS",
    "CoverageChange",
    "FindingChange",
    "RunDiff",
    "diff_runs",
    "render_diff",
    "REPORTERS",
    "Registry",
    "ReportError",
    "Reporter",
    "ResultsInvalid",
    "UnknownFormat",
    "load_document",
    "load_results",
    "render",
    "report_stem",
    "results_schema",
    "validate_results",
    "write_reports",
]
