"""A real run against the reference server with two faults on, its reports read back.

The run is the CLI in a subprocess (real server on 127.0.0.1, real HTTP), so this
checks the runner's documents against the reports, end to end.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from browser import assert_loads_clean, open_page, rows_by_operation

from openai_conformance.reports import validate_results

KEY = "sk-test-REFERENCERUNKEY0123456789abcdef"
FAULTS = ("wrong_field_type", "stream_no_done")


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("reference-run")
    argv = [
        sys.executable,
        "-m",
        "openai_conformance",
        "run",
        "--operations",
        "createCompletion,listModels",
        "--max-examples",
        "5",
        "--seed",
        "0",
        "--api-key",
        KEY,
        "--report-dir",
        str(out / "reports"),
        "--quiet",
        *(arg for fault in FAULTS for arg in ("--fault", fault)),
    ]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=240, cwd=out)
    assert done.returncode == 1, done.stderr  # findings: the faults were seen
    assert KEY not in done.stdout + done.stderr
    return out


def _files(run_dir, suffix):
    (path,) = (run_dir / "reports").glob(f"*{suffix}")
    return path


def test_no_file_the_run_writes_holds_the_key(run_dir):
    files = [p for p in run_dir.rglob("*") if p.is_file()]
    assert len(files) >= 4
    for path in files:
        assert KEY.encode() not in path.read_bytes(), path


def test_the_runners_document_is_valid_and_names_the_faults(run_dir):
    document = json.loads(_files(run_dir, ".json").read_text())
    validate_results(document)
    assert document["target"]["faults"] == list(FAULTS)
    assert {"response_schema", "stream_format"} <= {f["check"] for f in document["findings"]}


@pytest.mark.browser
def test_reference_run_report_in_chromium(run_dir):
    load = open_page(_files(run_dir, ".html"), "filter=failed", screenshot="report-reference-two-faults.png")
    assert_loads_clean(load)
    rows = rows_by_operation(load.dom)
    assert "filtered" in rows["listModels"] and "filtered" not in rows["createCompletion"]
    for check in ("response_schema", "stream_format"):
        assert f'<td class="cell fail" data-check="{check}"' in load.dom
        assert f"<code>{check}</code></a> on <code>createCompletion</code>" in load.dom
