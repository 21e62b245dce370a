"""Settings precedence: command line over config file over environment over defaults."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from openai_conformance.cli import main


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The command line in this process runs in ``tmp_path``, with no OPENAI_* of ours."""
    monkeypatch.chdir(tmp_path)
    for name in [k for k in os.environ if k.startswith("OPENAI_")]:
        monkeypatch.delenv(name)
    return tmp_path


def printed(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, tuple[str, str]]:
    """``run --print-config`` in the current folder: each setting's value and source."""
    code = main(["run", "--print-config", *argv])
    out, err = capsys.readouterr()
    assert code == 0, err
    rows = {}
    for line in out.splitlines():
        name, rest = line.split(None, 1)
        value, _, source = rest.rpartition("  ")
        rows[name] = (value.strip(), source.strip())
    return rows


def test_each_layer_wins_over_the_next(
    here: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (here / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.openai-conformance]\nmax-examples = 50\nseed = 9\noperations = ["listModels", "createEmbedding"]\nbase-url = "http://127.0.0.1:1/v1"\n'
    )
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:2/v1")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-config-test-0123456789")
    rows = printed(capsys, "--seed", "4")
    assert rows["seed"] == ("4", "command line")
    assert rows["max-examples"] == ("50", "pyproject.toml")
    assert rows["operations"] == ("'listModels,createEmbedding'", "pyproject.toml")
    assert rows["base-url"] == ("'http://127.0.0.1:1/v1'", "pyproject.toml")  # the file over the environment
    assert rows["api-key"] == ("'(set)'", "OPENAI_API_KEY")  # never shown
    assert rows["timeout"] == ("10.0", "default")


def test_the_environment_over_the_defaults_and_the_own_file_first(
    here: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (here / "openai-conformance.toml").write_text("workers = 1\n")
    (here / "pyproject.toml").write_text("[tool.openai-conformance]\nworkers = 7\n")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:2/v1")
    rows = printed(capsys)
    assert rows["workers"] == ("1", "openai-conformance.toml")
    assert rows["base-url"] == ("'http://127.0.0.1:2/v1'", "OPENAI_BASE_URL")


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ('api-key = "sk-in-a-file-0123456789"\n', "secret"),
        ("max-exampels = 3\n", "unknown setting 'max-exampels'"),
        ('seed = "nine"\n', "seed should be int"),
        ("seed = [\n", "not a readable TOML file"),
    ],
)
def test_a_bad_config_file_is_one_line_exit_2(
    here: Path, capsys: pytest.CaptureFixture[str], content: str, says: str
) -> None:
    (here / "openai-conformance.toml").write_text(content)
    code = main(["run"])
    err = capsys.readouterr().err
    assert code == 2 and says in err and len(err.strip().splitlines()) == 1, err
    assert "sk-in-a-file" not in err


# End to end: the command in a child process, in a folder of its own, with its child server.
def test_a_setting_from_the_file_is_used_by_the_run(tmp_path: Path) -> None:
    (tmp_path / "openai-conformance.toml").write_text(
        'operations = "listModels"\nmax-examples = 1\nformats = "json"\nquiet = true\n'
    )
    done = subprocess.run(
        [sys.executable, "-m", "openai_conformance", "run"], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert [p.name for p in (tmp_path / "conformance-report").iterdir()] == ["results.json"]
    document = json.loads((tmp_path / "conformance-report" / "results.json").read_text())
    assert {o["operation_id"] for o in document["operations"] if o["status"] != "skipped"} == {"listModels"}
    assert done.stdout.startswith("CONFORMANT:") and len(done.stdout.splitlines()) == 1  # quiet: the verdict only
