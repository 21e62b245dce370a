"""A ``SpecDiff`` as text, Markdown, JSON or a self-contained HTML page.

Kept small and apart so that it can move to ``reports/`` (which owns the
run reports) without touching the diff itself. Each renderer takes the diff
and the two specs and returns the whole output as one string.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._diff import Change, SpecDiff
    from ._spec import Spec


def _verdict(change: Change) -> str:
    who = [w for w, b in (("client", change.breaking_for_client), ("server", change.breaking_for_server)) if b]
    return f"BREAKING for {' and '.join(who)}" if who else "compatible"


def _title(diff: SpecDiff) -> str:
    return f"{diff.old['name']} ({diff.old['version']}) -> {diff.new['name']} ({diff.new['version']})"


def _counts(diff: SpecDiff) -> str:
    s = diff.summary()
    return (
        f"{s['changes']} changes, {s['breaking_for_client']} breaking for clients, "
        f"{s['breaking_for_server']} breaking for servers"
    )


def render_text(diff: SpecDiff, old: Spec, new: Spec) -> str:
    lines = [_title(diff)]
    for c in diff.changes:
        lines.append(f"{_verdict(c):<32} {c.operation_id}: {c.message}")
        lines.append(f"{'':<32} [{c.kind}] old {c.old_pointer or '-'}  new {c.new_pointer or '-'}")
    lines.append(_counts(diff))
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(diff: SpecDiff, old: Spec, new: Spec) -> str:
    lines = [f"# Spec diff: {_md(_title(diff))}", "", _counts(diff), ""]
    if diff.changes:
        lines += [
            "| Operation | Change | Client | Server | Kind | Old pointer | New pointer |",
            "|---|---|---|---|---|---|---|",
        ]
        for c in diff.changes:
            lines.append(
                f"| `{c.operation_id}` | {_md(c.message)} | {'breaking' if c.breaking_for_client else 'ok'} "
                f"| {'breaking' if c.breaking_for_server else 'ok'} | `{c.kind}` "
                f"| `{_md(c.old_pointer or '-')}` | `{_md(c.new_pointer or '-')}` |"
            )
    return "\n".join(lines) + "\n"


def render_json(diff: SpecDiff, old: Spec, new: Spec) -> str:
    return json.dumps(diff.to_dict(), indent=2) + "\n"


_STYLE = """body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #ccc;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f3f3f3}tr.breaking td.verdict{color:#a00;font-weight:600}code{font-size:12px;word-break:break-all}"""


def render_html(diff: SpecDiff, old: Spec, new: Spec) -> str:
    """One page, no scripts or outside assets: readable offline and in a CI artifact."""
    esc = html.escape
    rows = "\n".join(
        f'<tr class="{"breaking" if c.breaking else "ok"}"><td><code>{esc(c.operation_id)}</code></td>'
        f'<td>{esc(c.message)}</td><td class="verdict">{esc(_verdict(c))}</td><td><code>{esc(c.kind)}</code></td>'
        f"<td><code>{esc(c.old_pointer or '-')}</code></td><td><code>{esc(c.new_pointer or '-')}</code></td></tr>"
        for c in diff.changes
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>Spec diff: {esc(_title(diff))}</title><style>{_STYLE}</style></head><body>\n"
        f"<h1>Spec diff: {esc(_title(diff))}</h1>\n<p>{esc(_counts(diff))}</p>\n"
        "<table><thead><tr><th>Operation</th><th>Change</th><th>Verdict</th><th>Kind</th>"
        f"<th>Old pointer</th><th>New pointer</th></tr></thead>\n<tbody>\n{rows}\n</tbody></table>\n"
        "</body></html>\n"
    )


RENDERERS: dict[str, Callable[[SpecDiff, Spec, Spec], str]] = {
    "text": render_text,
    "markdown": render_markdown,
    "json": render_json,
    "html": render_html,
}
