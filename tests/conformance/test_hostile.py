"""Targets that misbehave on purpose: every run ends in bounded time, named, no traceback."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hostile import (
    BEHAVIOURS,
    HostileServer,
    dying_after,
    echoing_credentials,
    hostile,
    redirecting,
)

KEY = "sk-hostile-test-key-0123456789abcdef"


def run_cli(base_url: str, report_dir: Path, *extra: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    command = [
        sys.executable, "-m", "openai_conformance", "run", "--base-url", base_url, "--api-key", KEY,
        "--operations", "createCompletion", "--modes", "positive", "--max-examples", "4",
        "--timeout", "1", "--report-dir", str(report_dir), "--formats", "json", "--quiet", *extra,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout)


def results_of(report_dir: Path) -> dict:
    [path] = report_dir.glob("*.json")
    return json.loads(path.read_text())


# behaviour -> what the run must name: a check of a finding, or exit 3
EXPECTED = {
    "hang": "unreachable-or-transport",
    "reset": "transport",
    "truncate": "transport",
    "huge": "transport",
    "endless": "transport",
    "invalid_utf8": "response_schema",
    "endless_stream": "transport",
    "deep_json": "response_schema",
}


def test_every_behaviour_has_an_expectation() -> None:
    assert set(EXPECTED) == set(BEHAVIOURS)


@pytest.mark.parametrize("behaviour", sorted(BEHAVIOURS))
def test_hostile_target_ends_bounded_and_named(behaviour: str, tmp_path: Path) -> None:
    with hostile(behaviour) as server:
        started = time.monotonic()
        result = run_cli(server.base_url, tmp_path)
        elapsed = time.monotonic() - started
    assert "Traceback" not in result.stderr, result.stderr
    assert elapsed < 60
    assert result.returncode in (1, 3), (result.returncode, result.stderr)
    results = results_of(tmp_path)
    checks = {f["check"] for f in results["findings"]}
    expected = EXPECTED[behaviour]
    if expected == "unreachable-or-transport":
        assert result.returncode == 3 or "transport" in checks
    else:
        assert expected in checks, (checks, results["errors"])
    assert KEY not in result.stdout + result.stderr
    assert KEY not in (tmp_path / next(p.name for p in tmp_path.iterdir())).read_text()


def test_redirect_to_another_host_never_carries_the_key(tmp_path: Path) -> None:
    thief = HostileServer(BEHAVIOURS["hang"], host="127.0.0.2")
    try:
        with redirecting(f"http://127.0.0.2:{thief.port}/steal") as server:
            result = run_cli(server.base_url, tmp_path)
        assert "Traceback" not in result.stderr
        assert result.returncode == 1
        assert thief.requests == []  # the redirect was not followed at all
        checks = {f["check"] for f in results_of(tmp_path)["findings"]}
        assert "status_code" in checks
    finally:
        thief.close()


def test_unreachable_target_exits_3_with_one_line(tmp_path: Path) -> None:
    result = run_cli("http://127.0.0.1:9/v1", tmp_path)
    assert result.returncode == 3
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "unreachable" in result.stderr


def test_a_target_that_dies_midway_is_reported_with_the_last_case_answered(tmp_path: Path) -> None:
    with dying_after(3) as server:
        result = run_cli(server.base_url, tmp_path, "--workers", "1", "--max-examples", "8", "--timeout", "5")
    assert "Traceback" not in result.stderr
    assert result.returncode == 3
    results = results_of(tmp_path)
    assert results["run"]["verdict"] == "unreachable"
    [error] = [e for e in results["errors"] if "stopped answering" in e]
    assert "last case answered before it stopped: createCompletion" in error
    assert "curl -H \"Authorization: Bearer $OPENAI_API_KEY\" -X POST" in error and KEY not in error


def written_bytes(result: subprocess.CompletedProcess[str], folder: Path) -> list[bytes]:
    return [result.stdout.encode(), result.stderr.encode(), *(p.read_bytes() for p in folder.rglob("*") if p.is_file())]


def test_a_key_that_is_not_sk_shaped_and_echoed_back_is_still_never_written(tmp_path: Path) -> None:
    key = "gw-live-0123456789abcdefSECRET"  # redacted by name only: no pattern would catch it
    with echoing_credentials() as server:
        result = subprocess.run(
            [sys.executable, "-m", "openai_conformance", "run", "--base-url", server.base_url, "--api-key", key,
             "--operations", "createCompletion", "--max-examples", "3", "--timeout", "2", "--report-dir", str(tmp_path), "--quiet"],
            capture_output=True, text=True, timeout=120,
        )
    assert result.returncode == 1  # the echoed body breaks the schema: findings carry the response
    assert {p.suffix for p in tmp_path.iterdir()} >= {".json", ".html", ".xml", ".md"}
    assert all(key.encode() not in blob and b"SECRET" not in blob for blob in written_bytes(result, tmp_path))


def test_a_password_in_the_base_url_is_never_written(tmp_path: Path) -> None:
    with echoing_credentials() as server:
        base_url = server.base_url.replace("http://", "http://admin:pw-hunter2-SECRET@")
        result = run_cli(base_url, tmp_path)
    assert result.returncode in (1, 3)
    assert all(b"pw-hunter2-SECRET" not in blob for blob in written_bytes(result, tmp_path))
