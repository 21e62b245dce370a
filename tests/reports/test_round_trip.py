"""A report rendered from the saved results.json is the one rendered from the runner's own result.

A real run (reference server with two faults, on 127.0.0.1) proves that ``to_document`` /
``load_results`` lose nothing any report shows: every format, byte for byte.
"""

from __future__ import annotations

import json
from contextlib import ExitStack

import factory
import pytest
from factory import typed

from openai_conformance import Choices, RunResult, prepare_run
from openai_conformance.reports import DEFAULT_FORMATS, load_results, render, write_reports
from openai_conformance.server import serve_in_thread

KEY = "sk-test-ROUNDTRIPKEY0123456789abcdef"
FAULTS = ("wrong_field_type", "stream_no_done")


@pytest.fixture(scope="module")
def result(seed_spec) -> RunResult:
    with ExitStack() as stack:
        server = stack.enter_context(serve_in_thread(spec=seed_spec, faults=FAULTS))
        choices = Choices(
            base_url=server.base_url,
            api_key=KEY,
            operations=("createCompletion", "listModels"),
            max_examples=4,
            seed=0,
            modes=("positive", "negative"),
        )
        return prepare_run(choices, seed_spec, stack).runner().run()


def test_the_run_found_what_the_reports_must_show(result: RunResult) -> None:
    checks = {f.check for f in result.findings}
    assert {"response_schema", "stream_format"} <= checks, checks
    assert any(f.curl for f in result.findings) and result.operations


@pytest.mark.parametrize("fmt", DEFAULT_FORMATS)
def test_a_saved_run_renders_as_the_runners_result_did(result: RunResult, tmp_path, fmt: str) -> None:
    written = write_reports(result, tmp_path, [fmt, "json"], stable=True)
    saved = load_results(written["json"])
    assert saved == RunResult.from_document(json.loads(json.dumps(result.to_document())))
    assert render(saved, fmt) == render(result, fmt) == written[fmt].read_text(encoding="utf-8")


def test_a_document_without_the_later_keys_still_renders(failing) -> None:
    """Documents written before compare_to, refused, probes and reference existed (and one from a later
    minor version, with a key this model does not know) still load and render in every format."""
    del failing["target"]["compare_to"], failing["run"]["refused"], failing["probes"]
    for finding in failing["findings"]:
        del finding["reference"]
    failing["spec"]["added_later"] = "a key of a later minor version"
    old = typed(failing)
    assert old.target.compare_to is None and old.probes == [] and not old.run.refused
    for fmt in DEFAULT_FORMATS:
        assert render(old, fmt) == render(typed(factory.failing_run()), fmt), fmt
