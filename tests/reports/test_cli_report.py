"""``openai-conformance report``: re-render and diff from saved files; exit codes 0, 1, 2."""

from __future__ import annotations

import json
import subprocess
import sys

import factory
import pytest

from openai_conformance.cli import main


@pytest.fixture
def runs(tmp_path):
    paths = {}
    for name, doc in (("clean", factory.clean_run()), ("failing", factory.failing_run())):
        paths[name] = tmp_path / f"{name}.json"
        paths[name].write_text(json.dumps(doc))
    return paths


@pytest.mark.parametrize(
    ("fmt", "needle"),
    [
        ("html", "<!DOCTYPE html>"),
        ("json", '"format_version": 1'),
        ("junit", "<testsuites"),
        ("markdown", "## OpenAI conformance"),
    ],
)
def test_report_rerenders_from_saved_json(runs, tmp_path, fmt, needle):
    out = tmp_path / f"out.{fmt}"
    assert main(["report", str(runs["failing"]), "--format", fmt, "--output", str(out)]) == 0
    assert needle in out.read_text()


def test_report_into_a_directory_uses_the_run_name(runs, tmp_path):
    assert main(["report", str(runs["failing"]), "-o", str(tmp_path)]) == 0
    assert (tmp_path / "openai-1.1.0_127.0.0.1-54321_20261125T120000Z.html").exists()


def test_diff_exit_codes(runs, capsys):
    assert main(["report", "diff", str(runs["clean"]), str(runs["failing"])]) == 1
    assert "REGRESSED: 4 regressions" in capsys.readouterr().out
    assert main(["report", "diff", str(runs["failing"]), str(runs["clean"]), "--format", "markdown"]) == 0
    out = capsys.readouterr().out  # stream_format and example_shape did not apply in the clean run
    assert "### Fixed: 2" in out and "### Not rechecked (operation or check did not run): 2" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["report", "{missing}"], "no such file"),
        (["report", "{notjson}"], "not JSON"),
        (["report", "{other}"], "not a results document"),
        (["report", "{clean}", "--format", "pdf"], "--format 'pdf'"),
        (["report", "diff", "{clean}"], "two files"),
        (["report", "diff", "{clean}", "{clean}", "--format", "junit"], "--format 'junit'"),
    ],
    ids=["missing", "not-json", "not-results", "bad-format", "diff-one-file", "diff-bad-format"],
)
def test_bad_input_is_one_line_exit_2(runs, tmp_path, argv, message):
    (tmp_path / "notjson.json").write_text("{")
    (tmp_path / "other.json").write_text('{"format": "something else"}')
    files = {
        "missing": tmp_path / "missing.json",
        "notjson": tmp_path / "notjson.json",
        "other": tmp_path / "other.json",
        **runs,
    }
    argv = [a.format(**files) for a in argv]
    done = subprocess.run([sys.executable, "-m", "openai_conformance", *argv], capture_output=True, text=True)
    assert done.returncode == 2
    assert message in done.stderr and done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
