"""Data flows one way: spec -> strategies -> conformance -> reports."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STAGES = ["spec", "strategies", "conformance", "reports"]
# The CLI wires the stages together, so it alone may reach the last one.
WIRING = {"conformance/_cli_run.py", "conformance/_cli_report.py", "conformance/_cli_spec.py"}


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("stage", STAGES)
def test_a_stage_imports_only_stages_to_its_left(stage: str) -> None:
    later = set(STAGES[STAGES.index(stage) + 1 :])
    offenders = []
    for path in sorted((ROOT / stage).rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if relative in WIRING:
            continue
        bad = imported_packages(path) & later
        if bad:
            offenders.append(f"{relative} imports {sorted(bad)}")
    assert offenders == []


def test_the_check_detects_a_backwards_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from reports import render\n")
    assert "reports" in imported_packages(module)


def test_every_check_has_a_description_and_a_source() -> None:
    from conformance.checks import CHECKS

    assert len(CHECKS) >= 20
    for check in CHECKS:
        assert check.description.strip() and "\n" not in check.description
        assert check.source in ("spec", "convention", "semantics")


def test_the_check_registry_refuses_duplicates() -> None:
    from conformance.checks import CHECKS

    with pytest.raises(ValueError, match="twice"):
        CHECKS.declare("response_schema", "again", source="spec")
