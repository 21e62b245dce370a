"""Sharded runs: three slices of one seed, merged, are the unsharded run (same cases, same bugs)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ARGS = (
    "--operations",
    "createCompletion,createEmbedding,createModeration,listModels",
    "--max-examples",
    "7",
    "--seed",
    "5",
    "--modes",
    "positive,negative,examples",
    "--fault",
    "ignore_n",
    "--fault",
    "embedding_wrong_dimension",
    "--formats",
    "json",
    "--quiet",
    "--no-shrink",
)


def run(folder: Path, *extra: str) -> int:
    done = subprocess.run(
        [sys.executable, "-m", "openai_conformance", "run", *ARGS, "--report-dir", str(folder), *extra],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode


def summary(document: dict) -> tuple[dict, set]:
    cases = {o["operation_id"]: o["cases_by_mode"] for o in document["operations"] if o["cases"]}
    return cases, {f["fingerprint"] for f in document["findings"]}


def test_three_shards_merged_are_the_whole_run(tmp_path: Path) -> None:
    assert run(tmp_path / "whole") == 1
    for i in (1, 2, 3):
        assert run(tmp_path / f"s{i}", "--shard", f"{i}/3") in (0, 1)
    slices = [json.loads((tmp_path / f"s{i}" / "results.json").read_text()) for i in (1, 2, 3)]
    assert all(s["counters"]["cases"] < 40 for s in slices)  # each did a part
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "openai_conformance",
            "report",
            "merge",
            *(str(tmp_path / f"s{i}" / "results.json") for i in (1, 2, 3)),
            "-o",
            str(tmp_path / "merged"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    merged = json.loads((tmp_path / "merged" / "results.json").read_text())
    whole = json.loads((tmp_path / "whole" / "results.json").read_text())
    assert summary(merged) == summary(whole)
    assert merged["counters"]["cases"] == whole["counters"]["cases"]
    assert merged["run"]["verdict"] == "nonconformant"
    assert (tmp_path / "merged" / "report.html").is_file()


def test_a_bad_shard_or_merge_is_one_line_exit_2(tmp_path: Path) -> None:
    for bad in ("0/3", "4/3", "x", "1/"):
        done = subprocess.run(
            [sys.executable, "-m", "openai_conformance", "run", "--shard", bad],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1
    done = subprocess.run(
        [sys.executable, "-m", "openai_conformance", "report", "merge", "a.json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
