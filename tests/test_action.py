"""The GitHub Action (action.yml), its steps run as the scripts they are.

A real workflow cannot run here, so each ``run:`` block is executed by bash with
the environment GitHub would give it (inputs, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
ACTION = yaml.safe_load((ROOT / "action.yml").read_text())
STEPS = {step["name"]: step for step in ACTION["runs"]["steps"]}


def expand(value: str, context: dict[str, str]) -> str:
    return re.sub(r"\$\{\{\s*([^}]+?)\s*\}\}", lambda m: context[m[1]], value)


def run_step(
    name: str, inputs: dict[str, str], folder: Path, outputs: dict[str, str] | None = None
) -> tuple[int, dict[str, str]]:
    step = STEPS[name]
    defaults = {k: v.get("default", "") for k, v in ACTION["inputs"].items()}
    context = {f"inputs.{k}": v for k, v in {**defaults, **inputs}.items()}
    context |= {f"steps.run.outputs.{k}": v for k, v in (outputs or {}).items()}
    context["github.action_path"] = str(ROOT)
    output_file, summary = folder / "output", folder / "summary"
    env: dict[str, Any] = {
        **os.environ,
        "GITHUB_OUTPUT": str(output_file),
        "GITHUB_STEP_SUMMARY": str(summary),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    env |= {k: expand(str(v), context) for k, v in step.get("env", {}).items()}
    done = subprocess.run(["bash", "-c", step["run"]], cwd=folder, env=env, capture_output=True, text=True, timeout=300)
    written = dict(line.split("=", 1) for line in output_file.read_text().splitlines()) if output_file.exists() else {}
    return done.returncode, written


def test_every_script_is_valid_bash() -> None:
    for step in STEPS.values():
        if "run" in step:
            assert subprocess.run(["bash", "-n", "-c", step["run"]]).returncode == 0, step["name"]


@pytest.mark.parametrize(
    ("faults", "verdict", "code"), [("", "conformant", "0"), ("--fault ignore_n", "nonconformant", "1")]
)
def test_run_then_fail_on_findings(tmp_path: Path, faults: str, verdict: str, code: str) -> None:
    inputs = {"args": f"--operations createCompletion,listModels --max-examples 3 --quiet {faults}"}
    status, outputs = run_step("Run the conformance suite", inputs, tmp_path)
    assert status == 0  # the run step never fails; the last step decides
    assert outputs == {"exit-code": code, "verdict": verdict}
    assert "# " in (tmp_path / "summary").read_text()  # summary.md went to the job summary
    assert (tmp_path / "conformance-report" / "junit.xml").is_file()
    failed, _ = run_step("Fail on findings", {}, tmp_path, outputs)
    assert failed == int(code)
    tolerated, _ = run_step("Fail on findings", {"fail-on-findings": "false"}, tmp_path, outputs)
    assert tolerated == 0


def test_an_unreachable_target_fails_even_when_findings_are_tolerated(tmp_path: Path) -> None:
    status, outputs = run_step(
        "Run the conformance suite", {"base-url": "http://127.0.0.1:9/v1", "args": "--quiet"}, tmp_path
    )
    assert status == 0 and outputs["exit-code"] == "3" and outputs["verdict"] == "unreachable"
    failed, _ = run_step("Fail on findings", {"fail-on-findings": "false"}, tmp_path, outputs)
    assert failed == 3
