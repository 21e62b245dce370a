"""The HTML report in a real headless chromium: loads clean, offline, filters without reload."""

from __future__ import annotations

import re

import factory
import pytest
from browser import open_page

from reports import write_reports

pytestmark = pytest.mark.browser


def _rows(dom: str) -> dict[str, str]:
    """Matrix and coverage rows by operation id -> their class attribute (filtered or not)."""
    return {m.group(2): m.group(1)
            for m in re.finditer(r'<tr class="([^"]*)" data-op="([^"]+)"', dom)}


def test_failing_run_loads_clean_and_filters(tmp_path):
    html = write_reports(factory.failing_run(), tmp_path, ["html"])["html"]
    load = open_page(html, "filter=failed", screenshot="report-failing-filtered.png")
    assert load.console == [] and load.requests == []
    assert 'data-ready="true"' in load.dom  # the script ran to its end
    rows = _rows(load.dom)
    assert "filtered" in rows["listModels"] and "filtered" in rows["deleteModel"]
    assert "filtered" not in rows["createCompletion"] and "filtered" not in rows["createEmbedding"]
    assert '<button type="button" class="verdict-button" data-verdict="failed" aria-pressed="true">' in load.dom
    assert load.dom.count('<td class="cell fail"') == 3 and "created is not an integer" in load.dom
    assert load.screenshot is not None and load.screenshot.stat().st_size > 10_000


def test_unfiltered_page_shows_every_row(tmp_path):
    html = write_reports(factory.failing_run(), tmp_path, ["html"])["html"]
    load = open_page(html)
    assert load.console == [] and load.requests == []
    assert not any("filtered" in cls for cls in _rows(load.dom).values())


def test_helper_sees_console_errors_and_requests(tmp_path):
    """The detector itself can fail: a page that logs and fetches is caught."""
    page = tmp_path / "bad.html"
    page.write_text('<p>x</p><img src="http://127.0.0.1:9/x.png"><script>console.error("boom")</script>')
    load = open_page(page)
    assert any("boom" in line for line in load.console)
    assert load.requests == ["http://127.0.0.1:9/x.png"]


def test_big_report_is_light_and_loads(tmp_path):
    html = write_reports(factory.big_run(distinct=1000), tmp_path, ["html"])["html"]
    assert html.stat().st_size < 5_000_000
    load = open_page(html)
    assert load.console == [] and load.ready_ms is not None
