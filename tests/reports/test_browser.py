"""The HTML report in a real headless chromium: loads clean, offline, filters without reload."""

from __future__ import annotations

import re

import factory
import pytest
from browser import assert_loads_clean, open_page, rows_by_operation
from factory import typed

from openai_conformance.reports import write_reports

pytestmark = pytest.mark.browser


def test_failing_run_loads_clean_and_filters(tmp_path):
    html = write_reports(typed(factory.failing_run()), tmp_path, ["html"])["html"]
    load = open_page(html, "filter=failed", screenshot="report-failing-filtered.png")
    assert_loads_clean(load)
    rows = rows_by_operation(load.dom)
    assert "filtered" in rows["listModels"] and "filtered" in rows["deleteModel"]
    assert "filtered" not in rows["createCompletion"] and "filtered" not in rows["createEmbedding"]
    assert '<button type="button" class="verdict-button" data-verdict="failed" aria-pressed="true">' in load.dom
    assert load.dom.count('<td class="cell fail"') == 3 and "created is not an integer" in load.dom
    assert load.screenshot is not None and load.screenshot.stat().st_size > 10_000


def test_unfiltered_page_shows_every_row(tmp_path):
    html = write_reports(typed(factory.failing_run()), tmp_path, ["html"])["html"]
    load = open_page(html)
    assert_loads_clean(load)
    assert not any("filtered" in cls for cls in rows_by_operation(load.dom).values())


def test_operation_and_check_filters(tmp_path):
    html = write_reports(typed(factory.failing_run()), tmp_path, ["html"])["html"]
    load = open_page(html, "op=createEmbedding&check=example_shape")
    assert_loads_clean(load)
    rows = rows_by_operation(load.dom)
    assert [op for op, cls in rows.items() if "filtered" not in cls] == ["createEmbedding"]
    shown = re.findall(
        r'<section class="finding-section filterable" id="[^"]+" data-op="([^"]+)" '
        r'data-check="([^"]+)"',
        load.dom,
    )
    hidden = re.findall(
        r'<section class="finding-section filterable filtered" id="[^"]+" data-op="([^"]+)" '
        r'data-check="([^"]+)"',
        load.dom,
    )
    assert shown == [("createEmbedding", "example_shape")] and len(hidden) == 2
    assert "filtered by createEmbedding, example_shape (1 rows shown)" in load.dom


def test_helper_sees_console_errors_and_requests(tmp_path):
    """The detector itself can fail: a page that logs and fetches is caught."""
    page = tmp_path / "bad.html"
    page.write_text('<p>x</p><img src="http://127.0.0.1:9/x.png"><script>console.error("boom")</script>')
    load = open_page(page)
    assert any("boom" in line for line in load.console)
    assert load.requests == ["http://127.0.0.1:9/x.png"]


def test_big_report_is_light_and_loads(tmp_path):
    html = write_reports(typed(factory.big_run(distinct=1000)), tmp_path, ["html"])["html"]
    assert html.stat().st_size < 5_000_000
    load = open_page(html)
    assert_loads_clean(load)
    # Ready at all, and not hung; how fast (under 2 s on a quiet machine) is benchmarks/bench_report.py's to say.
    assert load.ready_ms is not None and load.ready_ms < 15_000
