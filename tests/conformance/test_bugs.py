"""A finding is a bug, not a value: grouped across seeds, shrunk against the live target,
shown with a reproducer that runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

KEY = "sk-bugs-test-0123456789abcdef"


def run(base_url: str, folder: Path, *extra: str) -> dict:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "openai_conformance",
            "run",
            "--base-url",
            base_url,
            "--api-key",
            KEY,
            "--operations",
            "createCompletion",
            "--modes",
            "positive",
            "--max-examples",
            "15",
            "--checks",
            "choices_count",
            "--report-dir",
            str(folder),
            "--formats",
            "json",
            "--quiet",
            *extra,
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 1, done.stderr
    return json.loads((folder / "results.json").read_text())


@pytest.fixture(scope="module")
def ignoring_n(tmp_path_factory: pytest.TempPathFactory):
    from openai_conformance.server import serve_in_thread
    from openai_conformance.spec import load_spec

    with serve_in_thread(spec=load_spec("openai-1.1.0"), faults=["ignore_n"], api_keys=[KEY]) as server:
        yield server


def test_one_fault_is_one_bug_whatever_the_seed_and_diff_says_unchanged(ignoring_n, tmp_path: Path) -> None:
    runs = [run(ignoring_n.base_url, tmp_path / str(seed), "--seed", str(seed), "--no-shrink") for seed in (1, 2, 3)]
    for results in runs:
        assert len(results["findings"]) > 1  # several cases ...
        assert len({f["fingerprint"] for f in results["findings"]}) == 1  # ... one bug
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "openai_conformance",
            "report",
            "diff",
            str(tmp_path / "1" / "results.json"),
            str(tmp_path / "2" / "results.json"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 regressions, 0 fixed, 0 not rechecked, 1 unchanged" in done.stdout


def test_the_smallest_case_has_n_2_and_nothing_optional(ignoring_n, tmp_path: Path) -> None:
    results = run(ignoring_n.base_url, tmp_path)
    [shrunk] = [f for f in results["findings"] if f["mode"] == "shrink"]
    body = json.loads(shrunk["request"]["body_excerpt"])
    assert body["n"] == 2 and set(body) == {"model", "n"}
    assert shrunk["fingerprint"] == results["findings"][0]["fingerprint"]


def test_the_reproducer_runs_with_the_key_from_the_environment(ignoring_n, tmp_path: Path) -> None:
    results = run(ignoring_n.base_url, tmp_path)
    curl = min((f["curl"] for f in results["findings"]), key=len)
    assert KEY not in curl and "$OPENAI_API_KEY" in curl
    done = subprocess.run(
        ["bash", "-c", curl], capture_output=True, text=True, timeout=30, env={**os.environ, "OPENAI_API_KEY": KEY}
    )
    answer = json.loads(done.stdout)
    assert len(answer["choices"]) == 1  # the bug, shown again by hand
