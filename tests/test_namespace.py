"""The install takes one import name, ``openai_conformance``, and a user's folders never shadow it.

Many teams keep their OpenAPI documents in ``spec/`` and their CI output in
``reports/``: the CLI, the embedded server and the pytest plugin must work from
such a folder, whose packages of those names fail loudly when imported.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

STAGE_NAMES = ("spec", "strategies", "conformance", "reports")


@pytest.fixture
def crowded(tmp_path: Path) -> Path:
    """A project folder with packages named like our stages, each refusing to be imported."""
    for name in STAGE_NAMES:
        (tmp_path / name).mkdir()
        (tmp_path / name / "__init__.py").write_text(f"raise ImportError('the user\\'s own {name}/ was imported')\n")
    return tmp_path


def _run(cwd: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *argv], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_the_cli_and_the_embedded_server_run_from_a_crowded_folder(crowded: Path) -> None:
    done = _run(
        crowded,
        "-m",
        "openai_conformance",
        "run",
        "--operations",
        "listModels,createEmbedding",
        "--max-examples",
        "2",
        "--quiet",
        "--formats",
        "json",
        "--report-dir",
        "out",
    )
    assert done.returncode == 0, done.stderr
    results = json.loads(next((crowded / "out").glob("*.json")).read_text())
    assert results["run"]["verdict"] == "conformant"


def test_the_pytest_plugin_runs_from_a_crowded_folder(crowded: Path, reference_server) -> None:
    (crowded / "test_nothing.py").write_text("def test_plain():\n    assert True\n")
    done = _run(
        crowded,
        "-m",
        "pytest",
        "--oai-base-url",
        reference_server.base_url,
        "--oai-api-key",
        "sk-crowded-0123456789",
        "--oai-operations",
        "listModels",
        "--oai-modes",
        "examples",
        "-p",
        "no:cacheprovider",
        "-p",
        "no:randomly",
        "-q",
        "test_nothing.py",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 passed" in done.stdout


def test_only_openai_conformance_is_importable_at_top_level(tmp_path: Path) -> None:
    probe = "import importlib.util, sys; print([n for n in sys.argv[1:] if importlib.util.find_spec(n)])"
    done = _run(tmp_path, "-c", probe, *STAGE_NAMES, "openai_conformance")
    assert done.stdout.strip() == "['openai_conformance']", done.stderr
    version = _run(tmp_path, "-m", "openai_conformance", "--help")
    assert version.returncode == 0 and "openai-conformance" in version.stdout


def test_every_package_folder_is_in_the_distribution() -> None:
    # an editable install finds any subfolder; a real one ships only the listed packages
    # (openai_conformance.profiles was missing: `pip install .` failed at run time)
    import tomllib

    root = Path(__file__).resolve().parents[1]
    setuptools = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]
    folders = {folder: name for name, folder in setuptools["package-dir"].items()}
    found = set()
    for init in root.glob("*/**/__init__.py"):
        top, *rest = init.parent.relative_to(root).parts
        if top in folders:
            found.add(".".join([folders[top], *rest]))
    assert found == set(setuptools["packages"])
