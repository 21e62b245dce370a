"""Targets that misbehave on purpose: every run ends in bounded time, named, no traceback."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hostile import BEHAVIOURS, HostileServer, dying_after, echoing_credentials, hostile, redirecting

KEY = "sk-hostile-test-key-0123456789abcdef"


def run_cli(base_url: str, report_dir: Path, *extra: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    command = [
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
        "4",
        "--timeout",
        "1",
        "--report-dir",
        str(report_dir),
        "--formats",
        "json",
        "--quiet",
        *extra,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout)


def results_of(report_dir: Path) -> dict:
    [path] = report_dir.glob("*.json")
    return json.loads(path.read_text())


# The child's own peak: VmHWM belongs to its address space (ru_maxrss keeps the parent's
# size at fork across exec, so a child of a large pytest worker "peaks" at the worker's size).
PEAK = (
    "import re, sys\nfrom openai_conformance.cli import main\ncode = main(sys.argv[1:])\n"
    "status = open('/proc/self/status').read()\n"
    "print(re.search(r'VmHWM:\\s+(\\d+)', status).group(1), file=sys.stderr)\nsys.exit(code)"
)
TIMEOUT = "not complete within"
TOO_LARGE = "response too large"
# behaviour -> (the check that names it, what its findings say: any of these)
EXPECTED = {
    "hang": ("transport", (TIMEOUT,)),
    "reset": ("transport", ("connection reset", "closed without a response")),
    "truncate": ("transport", ("cut short",)),
    "huge": ("transport", (TOO_LARGE,)),
    "endless": ("transport", (TOO_LARGE, TIMEOUT)),
    "invalid_utf8": ("response_schema", ("",)),
    "endless_stream": ("transport", (TIMEOUT,)),
    "deep_json": ("transport", ("too deeply nested",)),
    "gzip_bomb": ("transport", (TOO_LARGE,)),
    "huge_sse_line": ("transport", (TOO_LARGE,)),
    "slow_drip": ("transport", (TIMEOUT,)),
    "slow_head": ("transport", (TIMEOUT,)),
    "stall": ("transport", (TIMEOUT,)),
    "bad_chunking": ("transport", ("cut short",)),
    "huge_error": ("transport", (TOO_LARGE,)),
    "huge_stream": ("transport", (TOO_LARGE, TIMEOUT)),
}


def test_every_behaviour_has_an_expectation() -> None:
    assert set(EXPECTED) == set(BEHAVIOURS)


@pytest.mark.parametrize("behaviour", sorted(BEHAVIOURS))
def test_hostile_target_past_start_up_ends_bounded_small_and_named(behaviour: str, tmp_path: Path) -> None:
    """The target answers GET /models, then misbehaves: bounded memory and time, the right label."""
    with hostile(behaviour) as server:
        started = time.monotonic()
        command = [
            sys.executable,
            "-c",
            PEAK,
            "run",
            "--base-url",
            server.base_url,
            "--api-key",
            KEY,
            "--operations",
            "createCompletion,createEmbedding",
            "--modes",
            "positive,negative",
            "--max-examples",
            "3",
            "--timeout",
            "1",
            "--report-dir",
            str(tmp_path),
            "--formats",
            "json",
            "--quiet",
        ]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        elapsed = time.monotonic() - started
    *_, peak_kib = result.stderr.split()
    assert "Traceback" not in result.stderr, result.stderr
    assert elapsed < 60
    assert int(peak_kib) / 1024 < 300
    assert result.returncode in (1, 3), (result.returncode, result.stderr)
    check, said = EXPECTED[behaviour]
    document = next(tmp_path.glob("*.json")).read_text()
    assert len(document) < 1_000_000  # a finding keeps a few KB of a body or stream, never all
    findings = [f for f in json.loads(document)["findings"] if f["check"] == check]
    assert findings, json.loads(document)["errors"]
    assert all(any(s in f["got"] for s in said) for f in findings), {f["got"] for f in findings}
    assert "unreachable" not in " ".join(f["got"] for f in findings)
    assert KEY not in result.stdout + result.stderr + document


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
    assert "the request that likely brought it down: createCompletion" in error  # it answered, then died
    assert 'curl -H "Authorization: Bearer $OPENAI_API_KEY" -X POST' in error and KEY not in error


def written_bytes(result: subprocess.CompletedProcess[str], folder: Path) -> list[bytes]:
    return [result.stdout.encode(), result.stderr.encode(), *(p.read_bytes() for p in folder.rglob("*") if p.is_file())]


def test_a_key_that_is_not_sk_shaped_and_echoed_back_is_still_never_written(tmp_path: Path) -> None:
    key = "gw-live-0123456789abcdefSECRET"  # redacted by name only: no pattern would catch it
    with echoing_credentials() as server:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "openai_conformance",
                "run",
                "--base-url",
                server.base_url,
                "--api-key",
                key,
                "--operations",
                "createCompletion",
                "--max-examples",
                "3",
                "--timeout",
                "2",
                "--report-dir",
                str(tmp_path),
                "--quiet",
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert result.returncode == 1  # the echoed body breaks the schema: findings carry the response
    assert {p.suffix for p in tmp_path.iterdir()} >= {".json", ".html", ".xml", ".md"}
    assert all(key.encode() not in blob and b"SECRET" not in blob for blob in written_bytes(result, tmp_path))


def test_a_password_in_the_base_url_is_never_written(tmp_path: Path) -> None:
    with echoing_credentials() as server:
        base_url = server.base_url.replace("http://", "http://admin:pw-hunter2-SECRET@")
        result = run_cli(base_url, tmp_path)
        assert server.requests == []  # refused before anything is sent
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "credentials" in result.stderr
    assert all(b"pw-hunter2-SECRET" not in blob for blob in written_bytes(result, tmp_path))
