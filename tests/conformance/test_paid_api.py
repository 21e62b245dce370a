"""The reference server standing in for a paid, rate-limited API.

The budget options are forced on (`--budget on`, `--max-requests`), the server
answers every fifth request with 429 and Retry-After, and a recorder in front of
it audits every request it received: caps, request count, and cleanup.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from recording import recording_server

KEY = "sk-paid-api-stand-in-0123456789abcdef"
MAX_REQUESTS = 150
PAID_CAPS = {"max_tokens": 16, "n": 2, "best_of": 2}


def cli(base_url: str, report_dir: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "openai_conformance",
        "run",
        "--base-url",
        base_url,
        "--api-key",
        KEY,
        "--report-dir",
        str(report_dir),
        "--formats",
        "json,html,junit,markdown",
        *extra,
    ]


def created_files(base_url: str) -> list[str]:
    listing = requests.get(f"{base_url}/files", headers={"Authorization": f"Bearer {KEY}"}, timeout=10).json()
    return [f["id"] for f in listing["data"]]


def test_budget_caps_rate_limits_and_cleanup(tmp_path: Path) -> None:
    with recording_server(faults=["rate_limited"], api_keys=[KEY]) as server:
        before = set(created_files(server.base_url))
        done = subprocess.run(
            cli(
                server.base_url,
                tmp_path,
                "--budget",
                "on",
                "--max-requests",
                str(MAX_REQUESTS),
                "--max-examples",
                "5",
                "--include-deprecated",
            ),
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert "Traceback" not in done.stderr
        results = json.loads(next(tmp_path.glob("*.json")).read_text())
        sent = [r for r in server.recorder.requests if r[1] != "/v1/files" or r[0] != "GET"]
        leftover = set(created_files(server.base_url)) - before
    assert results["counters"]["requests"] <= MAX_REQUESTS
    # What a paid API bills: the creating POSTs (cleanup's cancels aside) stay within the budget.
    billed = [r for r in server.recorder.requests if r[0] == "POST" and not r[1].endswith("/cancel")]
    assert 0 < len(billed) <= MAX_REQUESTS
    assert results["counters"]["rate_limited"] > 0
    assert not [f for f in results["findings"] if f["response"] and f["response"]["status"] == 429]
    for method, path, body in sent:
        if method != "POST" or not body.startswith(b"{"):
            continue
        payload = json.loads(body)
        for name, cap in PAID_CAPS.items():
            value = payload.get(name)
            assert not isinstance(value, int) or isinstance(value, bool) or value <= cap, (path, name, value)
        size = payload.get("size") if path.startswith("/v1/images") else None
        if isinstance(size, str) and size.count("x") == 1 and size.replace("x", "").isdigit():
            width, height = map(int, size.split("x"))
            assert width * height <= 256 * 256, (path, size)  # a non-size (a negative case) costs nothing
    assert leftover == set()


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_halfway_cleans_up_and_writes_interrupted_results(signum: int, tmp_path: Path) -> None:
    with recording_server(api_keys=[KEY]) as server:
        before = set(created_files(server.base_url))
        process = subprocess.Popen(
            cli(server.base_url, tmp_path, "--max-examples", "400", "--include-deprecated", "--workers", "1"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 20  # the stateful workflows upload first, within a second or two
        # Wait until the run has created something of its own, then interrupt it.
        while time.monotonic() < deadline and not (set(created_files(server.base_url)) - before):
            time.sleep(0.05)
        time.sleep(0.5)
        assert set(created_files(server.base_url)) - before, "the run created nothing before the interrupt"
        process.send_signal(signum)
        stdout, stderr = process.communicate(timeout=120)
        leftover = set(created_files(server.base_url)) - before
    assert "Traceback" not in stderr
    assert process.returncode == 130
    results = json.loads(next(tmp_path.glob("*.json")).read_text())
    assert results["run"]["interrupted"] is True
    assert results["run"]["verdict"] == "interrupted"
    assert leftover == set()


def test_the_key_appears_in_no_byte_the_run_writes(tmp_path: Path) -> None:
    with recording_server(faults=["missing_required_field", "bare_errors"], api_keys=[KEY]) as server:
        env = {**os.environ, "OPENAI_API_KEY": KEY}
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "openai_conformance",
                "run",
                "--base-url",
                server.base_url,
                "--report-dir",
                str(tmp_path),
                "--max-examples",
                "5",
                "--include-deprecated",
            ],
            capture_output=True,
            text=True,
            timeout=300,
            env=env,
        )
    assert done.returncode == 1  # the faults were found, so findings with reproducers exist
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert {p.suffix for p in written} >= {".json", ".html", ".xml", ".md"}
    assert "Bearer [REDACTED]" in next(tmp_path.glob("*.json")).read_text()
    for blob in [done.stdout.encode(), done.stderr.encode(), *(p.read_bytes() for p in written)]:
        assert KEY.encode() not in blob
        assert KEY[:20].encode() not in blob
