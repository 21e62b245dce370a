"""A finding is a bug, not a value: grouped across seeds, shrunk against the live target,
shown with a reproducer that runs (the runs are composed in this process: runs.composed_run)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from runs import composed_run

from openai_conformance.cli import main
from openai_conformance.spec import load_spec

KEY = "sk-bugs-test-0123456789abcdef"


def run(base_url: str, **chosen: Any) -> dict[str, Any]:
    """A run of createCompletion's positive cases judged by choices_count only, in this process."""
    results = composed_run(
        load_spec("openai-1.1.0"),
        base_url=base_url,
        api_key=KEY,
        operations=("createCompletion",),
        modes=("positive",),
        max_examples=15,
        checks=("choices_count",),
        **chosen,
    )
    assert results.exit_code == 1, results.errors
    return results.to_document()


@pytest.fixture(scope="module")
def ignoring_n(tmp_path_factory: pytest.TempPathFactory):
    from openai_conformance.server import serve_in_thread
    from openai_conformance.spec import load_spec

    with serve_in_thread(spec=load_spec("openai-1.1.0"), faults=["ignore_n"], api_keys=[KEY]) as server:
        yield server


@pytest.fixture(scope="module")
def shrunk_run(ignoring_n) -> dict[str, Any]:
    """The run with the default seed and shrinking: the two tests below read the same one."""
    return run(ignoring_n.base_url)


def test_one_fault_is_one_bug_whatever_the_seed_and_diff_says_unchanged(
    ignoring_n, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    runs = [run(ignoring_n.base_url, seed=seed, shrink=False) for seed in (1, 2, 3)]
    for results in runs:
        assert len(results["findings"]) > 1  # several cases ...
        assert len({f["fingerprint"] for f in results["findings"]}) == 1  # ... one bug
    paths = [tmp_path / f"{seed}.json" for seed in (1, 2)]
    for path, results in zip(paths, runs[:2], strict=True):
        path.write_text(json.dumps(results))
    assert main(["report", "diff", *map(str, paths)]) == 0
    assert "0 regressions, 0 fixed, 0 not rechecked, 1 unchanged" in capsys.readouterr().out


def test_the_smallest_case_has_n_2_and_nothing_optional(shrunk_run: dict[str, Any]) -> None:
    results = shrunk_run
    [shrunk] = [f for f in results["findings"] if f["mode"] == "shrink"]
    body = json.loads(shrunk["request"]["body_excerpt"])
    assert body["n"] == 2 and set(body) == {"model", "n"}
    assert shrunk["fingerprint"] == results["findings"][0]["fingerprint"]


def test_the_reproducer_runs_with_the_key_from_the_environment(shrunk_run: dict[str, Any]) -> None:
    curl = min((f["curl"] for f in shrunk_run["findings"]), key=len)
    assert KEY not in curl and "$OPENAI_API_KEY" in curl
    done = subprocess.run(
        ["bash", "-c", curl], capture_output=True, text=True, timeout=30, env={**os.environ, "OPENAI_API_KEY": KEY}
    )
    answer = json.loads(done.stdout)
    assert len(answer["choices"]) == 1  # the bug, shown again by hand
