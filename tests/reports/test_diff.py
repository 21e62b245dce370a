"""Diff of two runs: classification by fingerprint (not seed), coverage changes, renderings."""

from __future__ import annotations

import factory
import pytest
from factory import typed

from openai_conformance.reports import UnknownFormat, diff_runs, render_diff


def _regressed() -> tuple[dict, dict]:
    """old = the failing run; new drops the /created findings, adds a server error on listModels."""
    old, new = factory.failing_run(), factory.failing_run()
    new["findings"] = new["findings"][3:]
    new["findings"].append(factory.finding(9, "server_error", "listModels", violation="500", message="answered 500"))
    listing = new["operations"][0]
    listing["statuses_seen"]["500"] = 1
    listing["checks"]["server_error"] = {"passed": 1, "failed": 1}
    return old, new


def test_classification_by_fingerprint():
    d = diff_runs(*map(typed, _regressed()))
    assert [(c.check, c.operation_id) for c in d.regressions] == [("server_error", "listModels")]
    assert [(c.message, c.old_count, c.new_count) for c in d.fixed] == [("created is not an integer", 3, 0)]
    assert {c.check for c in d.unchanged} == {"response_schema", "stream_format", "example_shape"}
    assert d.not_rechecked == [] and d.has_regressions


def test_other_seeds_are_not_churn():
    old, new = factory.failing_run(), factory.failing_run()
    for f in new["findings"]:
        f["seed"] += 1000
        f["id"] = f["id"] + "-b"
    d = diff_runs(typed(old), typed(new))
    assert not d.regressions and not d.fixed and len(d.unchanged) == 4 and not d.has_regressions


def test_findings_of_operations_not_run_again_are_not_fixed():
    old, new = factory.failing_run(), factory.failing_run()
    new["findings"] = [f for f in new["findings"] if f["operation_id"] != "createEmbedding"]
    embedding = new["operations"][2]
    embedding.update(status="skipped", skip_reason="budget", checks={})
    d = diff_runs(typed(old), typed(new))
    assert [c.check for c in d.not_rechecked] == ["example_shape"] and not d.fixed
    assert ("createEmbedding", "status", "failed", "skipped") in {
        (c.operation_id, c.aspect, c.before, c.after) for c in d.coverage_changes
    }


def test_coverage_changes_name_operations_modes_and_statuses():
    old, new = _regressed()
    new["run"]["modes"] = ["positive"]
    new["operations"].pop()  # createEdit is gone
    changes = {
        (c.operation_id, c.aspect): (c.before, c.after) for c in diff_runs(typed(old), typed(new)).coverage_changes
    }
    assert changes[("listModels", "statuses seen")] == ("-", "gained: 500")
    assert changes[("createEdit", "operation")] == ("not_implemented", "absent")
    assert changes[(None, "run modes")] == ("examples, negative, positive, stateful", "positive")


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_renderings_show_each_class(fmt):
    text = render_diff(diff_runs(*map(typed, _regressed())), fmt)
    assert "REGRESSED: 1 regressions, 1 fixed, 0 not rechecked, 3 unchanged" in text
    for needle in ("answered 500", "created is not an integer", "gained: 500"):
        assert needle in text
    if fmt == "html":
        assert '<table class="diff-regressions">' in text and "<script" not in text


def test_unknown_diff_format():
    with pytest.raises(UnknownFormat, match="'pdf'"):
        render_diff(diff_runs(typed(factory.clean_run()), typed(factory.clean_run())), "pdf")
