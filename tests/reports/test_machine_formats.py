"""JSON, Markdown and JUnit reports: what they say, not only that they exist."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import factory
import pytest
import xmlschema
from factory import typed

from openai_conformance.reports import REPORTERS, UnknownFormat, render, write_reports

XSD = xmlschema.XMLSchema(str(Path(__file__).with_name("junit-10.xsd")))


def test_json_is_the_document_with_stable_key_order(failing):
    text = render(typed(failing), "json")
    assert json.loads(text) == failing
    assert text == render(typed(json.loads(text)), "json")  # a round trip changes nothing
    assert text.index('"checks"') < text.index('"counters"') < text.index('"findings"')


def test_markdown_summary_has_verdict_table_and_top_findings(failing):
    text = render(typed(failing), "markdown")
    assert "## OpenAI conformance: nonconformant" in text
    assert "NONCONFORMANT: 6 findings" in text
    row = next(line for line in text.splitlines() if line.startswith("| `createCompletion`"))
    assert "failed" in row and "`response_schema`" in row and "`stream_format`" in row
    assert "skipped (destructive)" in text
    top = text[text.index("### Top findings") :]
    assert "4 distinct, 6 in all" in top
    folded = next(line for line in top.splitlines() if "created is not an integer" in line)
    assert folded.endswith("| 3 |") and "`/created`" in folded


def test_markdown_for_a_clean_run(clean):
    text = render(typed(clean), "markdown")
    assert "CONFORMANT: 0 findings" in text and "No findings." in text and "100.0%" in text


def test_junit_validates_and_has_one_case_per_operation_and_check(failing):
    xml = render(typed(failing), "junit")
    XSD.validate(xml)
    root = ET.fromstring(xml)
    cases = {(c.get("classname"), c.get("name")): c for c in root.iter("testcase")}
    assert ("createCompletion", "response_schema") in cases
    assert ("listModels", "status_code") in cases
    failure = cases[("createCompletion", "response_schema")].find("failure")
    assert failure is not None and "4 of 11" in failure.get("message")
    assert "created is not an integer  (x3)" in failure.text and "pointer:  /created" in failure.text
    assert "Bearer [REDACTED]" in failure.text
    assert cases[("listModels", "status_code")].find("failure") is None
    skipped = cases[("deleteModel", "all checks")].find("skipped")
    assert skipped is not None and skipped.get("message") == "destructive"
    assert root.get("failures") == "3" and int(root.get("tests")) == len(cases)


def test_junit_for_a_clean_run_has_no_failures(clean):
    xml = render(typed(clean), "junit")
    XSD.validate(xml)
    assert ET.fromstring(xml).get("failures") == "0"


def test_junit_escapes_control_characters(failing):
    failing["findings"][0]["message"] = "bad \x00 byte <&>"
    XSD.validate(render(typed(failing), "junit"))


def test_write_reports_names_files_and_scrubs_secrets(tmp_path, failing):
    formats = [name for name in ("json", "junit", "markdown", "html") if name in REPORTERS]
    written = write_reports(typed(factory.with_secret(failing)), tmp_path / "out", formats)
    assert set(written) == set(formats)
    for path in written.values():
        assert path.name.startswith("openai-1.1.0_127.0.0.1-54321_20261125T120000Z.")
        text = path.read_text(encoding="utf-8")
        assert factory.SECRET not in text and "FACTORYSECRET" not in text
    assert write_reports(typed(failing), tmp_path, ["json"], stem="run")["json"] == tmp_path / "run.json"


def test_unknown_format_fails_before_writing(tmp_path, failing):
    with pytest.raises(UnknownFormat, match="'pdf'"):
        write_reports(typed(failing), tmp_path / "never", ["json", "pdf"])
    assert not (tmp_path / "never").exists()


@pytest.mark.parametrize("fmt", ["html", "json", "junit", "markdown"])
def test_unreachable_run_renders_its_error(clean, fmt):
    clean.update(
        operations=[], skipped=[], findings=[], errors=["target unreachable: http://127.0.0.1:9/v1: connection refused"]
    )
    clean["run"].update(verdict="unreachable", exit_code=3)
    clean["counters"].update(cases=0, requests=0)
    text = render(typed(clean), fmt)
    assert "connection refused" in text
    if fmt == "junit":
        XSD.validate(text)
        assert ET.fromstring(text).get("errors") == "1"
    if fmt in ("html", "markdown"):
        assert "UNREACHABLE" in text and "score n/a" in text
