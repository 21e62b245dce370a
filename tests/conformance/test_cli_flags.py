"""The run command's conventions: --header, --exclude-checks, stable report paths,
where the base URL came from, --version."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from recording import recording_server

from openai_conformance.cli import main

KEY = "sk-cli-flags-0123456789abcdef"
TENANT = "tenant-secret-4f9a2c"


def run(*argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "openai_conformance", *argv],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


def test_a_header_goes_on_every_request_and_its_value_nowhere_else(tmp_path: Path) -> None:
    with recording_server(api_keys=[KEY]) as server:
        done = run(
            "run",
            "--base-url",
            server.base_url,
            "--api-key",
            KEY,
            "--header",
            f"X-Tenant: {TENANT}",
            "--operations",
            "listModels,createEmbedding",
            "--max-examples",
            "2",
            "--modes",
            "positive,negative",
            "--report-dir",
            str(tmp_path),
            "--quiet",
        )
        sent = server.recorder.headers
    assert done.returncode == 0, done.stderr
    keyed = [h for h in sent if h.get("authorization") == f"Bearer {KEY}"]
    assert keyed and all(h.get("x-tenant") == TENANT for h in keyed)
    written = (
        done.stdout + done.stderr + "".join(p.read_text(errors="replace") for p in tmp_path.rglob("*") if p.is_file())
    )
    assert TENANT not in written


def test_a_malformed_header_is_one_line_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    for bad in ("no-colon", ": value", "Authorization: Bearer x"):
        code = main(["run", "--header", bad])  # in this process: main turns every error into its line
        err = capsys.readouterr().err
        assert code == 2 and len(err.strip().splitlines()) == 1, (bad, err)
        assert "Traceback" not in err


def test_excluded_checks_are_not_counted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    done = run(
        "run",
        "--operations",
        "listModels",
        "--exclude-checks",
        "auth_required,response_schema",
        "--max-examples",
        "2",
        "--report-dir",
        str(tmp_path),
        "--quiet",
        "--formats",
        "json",
    )
    assert done.returncode == 0, done.stderr
    [operation] = [
        o
        for o in json.loads((tmp_path / "results.json").read_text())["operations"]
        if o["operation_id"] == "listModels"
    ]
    assert operation["checks"] and not {"auth_required", "response_schema"} & set(operation["checks"])
    assert main(["run", "--exclude-checks", "no_such_check"]) == 2
    assert "no_such_check" in capsys.readouterr().err


def test_reports_have_stable_names_and_history_only_when_asked(tmp_path: Path) -> None:
    argv = ("run", "--operations", "listModels", "--max-examples", "1", "--report-dir", str(tmp_path), "--quiet")
    assert run(*argv).returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["junit.xml", "report.html", "results.json", "summary.md"]
    assert run(*argv, "--keep-history").returncode == 0
    assert len(list((tmp_path / "history").glob("*.json"))) == 1
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == [
        "junit.xml",
        "report.html",
        "results.json",
        "summary.md",
    ]


def test_the_base_url_from_the_environment_is_used_and_named(tmp_path: Path) -> None:
    with recording_server(api_keys=[KEY]) as server:
        done = run(
            "run",
            "--operations",
            "listModels",
            "--max-examples",
            "1",
            "--report-dir",
            str(tmp_path),
            env={"OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": KEY},
        )
        assert server.recorder.requests
    assert done.returncode == 0, done.stderr
    assert "(from OPENAI_BASE_URL)" in done.stderr


def test_version_and_every_exit_code_in_help() -> None:
    from openai_conformance.results import ExitCode

    assert run("--version").stdout.startswith("openai-conformance ")
    helped = run("--help").stdout
    assert all(re.search(rf"(^|\s){int(code)}\s", helped) for code in ExitCode), helped
