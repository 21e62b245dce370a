"""``render`` and ``write_reports``: the reporters' front door, used by the runner and the CLI."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from openai_conformance.results import RunResult

from ._model import report_stem, validate_results
from ._redact import scrub
from ._registry import REPORTERS

DEFAULT_FORMATS = ("html", "json", "junit", "markdown")
# The names a CI step can pick up: the same every run, whatever the target or the time.
STABLE_NAMES = {"json": "results.json", "html": "report.html", "junit": "junit.xml", "markdown": "summary.md"}


def render(result: RunResult, format: str) -> str:
    """Render ``result`` in ``format``; raises ``ResultsInvalid``/``UnknownFormat``.

    Example: ``render(load_results("run.json"), "markdown")``.
    The result is validated and scrubbed of secrets first, whatever the format.
    """
    reporter = REPORTERS[format]
    content = reporter.render(_clean(result))
    return content.decode("utf-8") if isinstance(content, bytes) else content


def write_reports(
    result: RunResult,
    directory: Path,
    formats: Iterable[str] = DEFAULT_FORMATS,
    *,
    stem: str | None = None,
    stable: bool = False,
) -> dict[str, Path]:
    """Write one file per format into ``directory`` (created); returns format -> path.

    Example: ``write_reports(runner.run(), Path("conformance-report"))`` writes
    ``openai-1.1.0_127.0.0.1-54321_20261125T120000Z.html`` and siblings; ``stem`` overrides the
    name; ``stable=True`` writes ``STABLE_NAMES`` instead (``results.json``, ``report.html``, ...).
    """
    reporters = [REPORTERS[name] for name in formats]  # unknown names fail before anything is written
    clean = _clean(result)
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    stem = stem or report_stem(result)
    written: dict[str, Path] = {}
    for reporter in reporters:
        name = STABLE_NAMES.get(reporter.name) if stable else None
        path = directory / (name or f"{stem}.{reporter.extension}")
        content = reporter.render(clean)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        written[reporter.name] = path
    return written


def _clean(result: RunResult) -> RunResult:
    """``result`` held to the schema (a model built in memory can still carry a bad value), scrubbed
    of secrets and read back as its saved JSON reads (keys sorted: headers, statuses and modes are
    shown in that order), so a report of the runner's result is the report of its results.json."""
    document = result.to_document()
    validate_results(document)
    return RunResult.from_document(json.loads(json.dumps(scrub(document), sort_keys=True)))
