"""The HTML report's content: header, matrix cells, folded findings, coverage, safety."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import factory
import pytest
from factory import typed

from openai_conformance.reports import render


class _Collect(HTMLParser):
    """Elements by id and every URL-bearing attribute, from a real HTML parse."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: dict[str, dict[str, str | None]] = {}
        self.urls: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if "id" in attributes:
            self.ids[attributes["id"]] = attributes
        self.urls += [v for k, v in attrs if k in ("src", "href", "action", "srcset") and v]


def parse(text: str) -> _Collect:
    parser = _Collect()
    parser.feed(text)
    return parser


@pytest.fixture
def page(failing) -> str:
    return render(typed(failing), "html")


def test_header_has_run_facts_and_verdict(page, failing):
    assert "NONCONFORMANT: 6 findings, 53 cases, 3 of 5 operations run" in page
    assert "http://127.0.0.1:54321/v1" in page and "OpenAI API 1.1.0" in page
    assert f"sha256 {failing['spec']['sha256'][:12]}" in page
    assert "Conformance score = passed check applications / all check applications" in page
    assert 'id="overall-score">91.9%' in page


def test_failing_cells_link_to_their_findings(page):
    doc = parse(page)
    links = re.findall(r'<td class="cell fail" data-check="([a-z_]+)"[^>]*><a href="#([^"]+)"', page)
    assert sorted(check for check, _ in links) == ["example_shape", "response_schema", "stream_format"]
    for _, anchor in links:
        assert anchor in doc.ids  # every failing cell points at a findings section that exists
    assert 'aria-label="fail: 4 failed, see findings">\u2717 4/11' in page


def test_cells_have_a_symbol_not_only_a_colour(page):
    skipped_row = page[page.index('data-op="deleteModel"') :]
    skipped_row = skipped_row[: skipped_row.index("</tr>")]
    assert skipped_row.count('aria-label="not run">\u2013') == len(factory.CHECKS)
    assert 'aria-label="not applicable">\u00b7' in page and 'aria-label="pass">\u2713' in page


def test_findings_are_folded_with_count_pointer_and_detail(page):
    assert page.count("created is not an integer") == 1  # three findings, one fold
    assert '<span class="fold" title="identical findings folded">&times;3</span>' in page
    assert "seeds of all 3: 8, 9, 10" in page
    for pointer in ("/created", "/choices", "/usage"):
        assert f'<code class="pointer">{pointer}</code>' in page
    for check in ("response_schema", "stream_format", "example_shape"):
        assert f"<code>{check}</code></a> on" in page
    assert "Authorization: Bearer [REDACTED]" in page and 'class="copy">copy</button>' in page


def test_stream_transcript_and_example_diff(page):
    assert "Stream transcript (2 events)" in page
    assert "data: {&#34;id&#34;: &#34;cmpl-1&#34;, &#34;choices&#34;: [{&#34;text&#34;: &#34;!&#34;}]}" in page
    assert "<td><code>/usage</code></td><td>object</td><td>missing</td>" in page
    assert '<pre aria-label="example">' in page and "(no response)" in page


def test_coverage_skips_latency_and_lint(page):
    assert "<li><code>deleteModel</code>: destructive</li>" in page
    assert "positive 10, negative 10" in page and "model, prompt, max_tokens" in page
    assert "p50 12.0 ms, p95 40.0 ms" in page  # the chart's bar for createCompletion
    assert "example response is not valid JSON" in page


def test_page_is_self_contained(page):
    doc = parse(page)
    assert all(url.startswith("#") for url in doc.urls), doc.urls
    assert "default-src 'none'" in page
    assert not [t for t, _ in doc.tags if t in ("link", "img", "iframe", "object", "embed")]


def test_content_is_escaped(failing):
    failing["findings"][0]["message"] = "<script>alert(1)</script>"
    failing["operations"][1]["operation_id"] = 'x"><b>'
    page = render(typed(failing), "html")
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)" in page
    assert 'x"><b>' not in page


def test_clean_run_page(clean):
    page = render(typed(clean), "html")
    assert "CONFORMANT: 0 findings" in page and "No findings: every check that applied passed." in page
    assert '<td class="cell fail"' not in page


def test_binary_bodies_show_type_and_size(failing):
    failing["findings"][0]["response"].update(
        body_kind="binary", content_type="image/png", body_excerpt=None, body_size=12345
    )
    assert "(binary: image/png, 12,345 bytes)" in render(typed(failing), "html")


def test_big_run_stays_light():
    page = render(typed(factory.big_run(distinct=1000)), "html")
    assert len(page.encode()) < 5_000_000


def test_cases_without_a_seed_say_so(failing):
    failing["findings"][5]["seed"] = None
    page = render(typed(failing), "html")
    assert "<dt>Seed</dt><dd><code>none</code>" in page and "<code>None</code>" not in page
