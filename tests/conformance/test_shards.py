"""Sharded runs: three slices of one seed, merged, are the unsharded run (same cases, same bugs).

The whole run and two slices are composed in this process (``runs.composed_run``, each with
its own reference server on 127.0.0.1); the middle slice is the CLI in a process of its own,
so that a slicing which differs between processes (Python's ``hash``) shows as a bad merge.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from runs import composed_run

from openai_conformance.cli import main
from openai_conformance.spec import load_spec

CHOSEN: dict[str, Any] = {
    "operations": ("createCompletion", "createEmbedding", "createModeration", "listModels"),
    "max_examples": 7,
    "seed": 5,
    "modes": ("positive", "negative", "examples"),
    "faults": ("ignore_n", "embedding_wrong_dimension"),
    "shrink": False,
}


def run(folder: Path, **extra: Any) -> tuple[int, Path]:
    """One run, its results.json written in ``folder`` as the CLI writes it."""
    results = composed_run(load_spec("openai-1.1.0"), **CHOSEN, **extra)
    folder.mkdir()
    path = folder / "results.json"
    path.write_text(json.dumps(results.to_document()))
    return results.exit_code, path


def run_in_a_child(folder: Path, shard: str) -> tuple[int, Path]:
    """The same run through ``openai-conformance run --shard`` in a new process."""
    argv = ["--operations", ",".join(CHOSEN["operations"]), "--modes", ",".join(CHOSEN["modes"])]
    argv += ["--max-examples", str(CHOSEN["max_examples"]), "--seed", str(CHOSEN["seed"]), "--no-shrink"]
    argv += [arg for fault in CHOSEN["faults"] for arg in ("--fault", fault)]
    command = [sys.executable, "-m", "openai_conformance", "run", *argv, "--shard", shard]
    command += ["--formats", "json", "--quiet", "--report-dir", str(folder)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, folder / "results.json"


def summary(document: dict) -> tuple[dict, set]:
    cases = {o["operation_id"]: o["cases_by_mode"] for o in document["operations"] if o["cases"]}
    return cases, {f["fingerprint"] for f in document["findings"]}


def test_three_shards_merged_are_the_whole_run(tmp_path: Path) -> None:
    code, whole_path = run(tmp_path / "whole")
    assert code == 1
    slices = [
        run(tmp_path / "s1", shard=(1, 3)),
        run_in_a_child(tmp_path / "s2", "2/3"),
        run(tmp_path / "s3", shard=(3, 3)),
    ]
    assert all(code in (0, 1) for code, _ in slices)
    documents = [json.loads(path.read_text()) for _, path in slices]
    assert all(s["counters"]["cases"] < 40 for s in documents)  # each did a part
    argv = ["report", "merge", *(str(path) for _, path in slices), "-o", str(tmp_path / "merged")]
    assert main(argv) == 1
    merged = json.loads((tmp_path / "merged" / "results.json").read_text())
    whole = json.loads(whole_path.read_text())
    assert summary(merged) == summary(whole)
    assert merged["counters"]["cases"] == whole["counters"]["cases"]
    assert merged["run"]["verdict"] == "nonconformant"
    assert (tmp_path / "merged" / "report.html").is_file()


@pytest.mark.parametrize(
    "argv",
    [["run", "--shard", bad] for bad in ("0/3", "4/3", "x", "1/")] + [["report", "merge", "a.json"]],
    ids=["zero", "past-n", "not-a-number", "no-n", "merge-one-file"],
)
def test_a_bad_shard_or_merge_is_one_line_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
