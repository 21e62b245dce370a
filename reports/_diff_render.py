"""Rendering a ``RunDiff`` as text (terminal), Markdown (CI summary) or HTML (one page).

One registry, ``DIFF_FORMATS``, maps each name to its renderer.
"""

from __future__ import annotations

from collections.abc import Callable

from ._errors import UnknownFormat
from .diff import FindingChange, RunDiff
from .html import environment  # CSS and filters are shared with the report
from .markdown import code, table

# Sections in the order a reader wants them: what broke first.
SECTIONS = (
    ("regressions", "Regressions (new findings)"),
    ("fixed", "Fixed"),
    ("not_rechecked", "Not rechecked (operation or check did not run)"),
    ("unchanged", "Unchanged"),
)


def headline(diff: RunDiff) -> str:
    counts = ", ".join(f"{len(getattr(diff, key))} {key.replace('_', ' ')}" for key, _ in SECTIONS)
    verdict = "REGRESSED" if diff.has_regressions else "NO REGRESSION"
    return f"{verdict}: {counts}, {len(diff.coverage_changes)} coverage changes"


def _runs_lines(diff: RunDiff) -> list[tuple[str, str, str]]:
    keys = ("verdict", "findings", "cases", "seed", "started_at", "target", "spec")
    return [(key, str(diff.old.get(key, "")), str(diff.new.get(key, ""))) for key in keys]


def _count(change: FindingChange) -> str:
    return f"{change.old_count} -> {change.new_count}"


def render_text(diff: RunDiff) -> str:
    lines = [headline(diff), ""]
    lines += [f"  {key:<11} {old}  ->  {new}" for key, old, new in _runs_lines(diff)]
    for key, title in SECTIONS:
        changes: list[FindingChange] = getattr(diff, key)
        lines += ["", f"{title}: {len(changes)}"]
        lines += [
            f"  [{c.check}] {c.operation_id} {c.pointer or '(document)'}: {c.message} ({_count(c)})" for c in changes
        ]
    lines += ["", f"Coverage changes: {len(diff.coverage_changes)}"]
    lines += [f"  {c.operation_id or '(run)'} {c.aspect}: {c.before} -> {c.after}" for c in diff.coverage_changes]
    return "\n".join(lines) + "\n"


def render_markdown(diff: RunDiff) -> str:
    lines = [f"## Conformance diff: {headline(diff)}", ""]
    lines += table(["", "old", "new"], [[key, code(old), code(new)] for key, old, new in _runs_lines(diff)])
    for key, title in SECTIONS:
        changes: list[FindingChange] = getattr(diff, key)
        lines += ["", f"### {title}: {len(changes)}", ""]
        if changes:
            lines += table(
                ["check", "operation", "pointer", "what went wrong", "count old -> new"],
                [
                    [code(c.check), code(c.operation_id), code(c.pointer), c.message.replace("|", "\\|"), _count(c)]
                    for c in changes
                ],
            )
    lines += ["", f"### Coverage changes: {len(diff.coverage_changes)}", ""]
    if diff.coverage_changes:
        lines += table(
            ["operation", "aspect", "before", "after"],
            [[code(c.operation_id or "(run)"), c.aspect, c.before, c.after] for c in diff.coverage_changes],
        )
    return "\n".join(lines) + "\n"


def render_html(diff: RunDiff) -> str:
    return (
        environment()
        .get_template("diff.html.j2")
        .render(diff=diff, headline=headline(diff), runs=_runs_lines(diff), sections=SECTIONS, suite_version="")
    )


DIFF_FORMATS: dict[str, Callable[[RunDiff], str]] = {
    "text": render_text,
    "markdown": render_markdown,
    "html": render_html,
}


def render_diff(diff: RunDiff, format: str = "text") -> str:
    """Render ``diff`` as ``text``, ``markdown`` or ``html``; unknown names raise ``UnknownFormat``."""
    try:
        renderer = DIFF_FORMATS[format]
    except KeyError:
        raise UnknownFormat(f"unknown diff format {format!r} (known: {', '.join(DIFF_FORMATS)})") from None
    return renderer(diff)
