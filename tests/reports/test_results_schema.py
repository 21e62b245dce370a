"""The results schema accepts the factory's documents and rejects what is not one."""

from __future__ import annotations

import json

import factory
from factory import typed
import pytest

from openai_conformance.reports import ResultsInvalid, load_results, report_stem, validate_results


@pytest.mark.parametrize(
    "build", [factory.clean_run, factory.failing_run, factory.big_run], ids=["clean", "failing", "big"]
)
def test_factory_documents_are_valid(build):
    validate_results(build())


@pytest.mark.parametrize(
    ("mutate", "where"),
    [
        (lambda d: d.pop("findings"), "findings"),
        (lambda d: d["run"].update(verdict="fine"), "/run/verdict"),
        (lambda d: d["operations"][0].pop("latency_ms"), "latency_ms"),
        (lambda d: d["findings"][0].update(transcript="data: x"), "/findings/0/transcript"),
        (lambda d: d.update(format_version=2), "/format_version"),
    ],
    ids=["missing-findings", "bad-verdict", "missing-null-key", "transcript-not-list", "format-2"],
)
def test_invalid_documents_are_rejected_in_one_line(failing, mutate, where):
    mutate(failing)
    with pytest.raises(ResultsInvalid) as info:
        validate_results(failing)
    assert where in str(info.value) and "\n" not in str(info.value)


def test_load_results_reports_file_problems(tmp_path):
    with pytest.raises(ResultsInvalid, match="no such file"):
        load_results(tmp_path / "nope.json")
    (tmp_path / "bad.json").write_text("{not json")
    with pytest.raises(ResultsInvalid, match=r"not JSON \(line 1"):
        load_results(tmp_path / "bad.json")
    (tmp_path / "other.json").write_text(json.dumps({"hello": 1}))
    with pytest.raises(ResultsInvalid, match="not a results document"):
        load_results(tmp_path / "other.json")


def test_report_stem_names_spec_target_and_time(clean):
    assert report_stem(typed(clean)) == "openai-1.1.0_127.0.0.1-54321_20261125T120000Z"
    clean["run"]["started_at"] = "2026-11-25T12:00:00.123+00:00"
    clean["target"]["base_url"] = "https://api.openai.com/v1"
    assert report_stem(typed(clean)) == "openai-1.1.0_api.openai.com_20261125T120000Z"
