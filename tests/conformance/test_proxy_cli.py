"""``openai-conformance proxy`` as a user runs it: reports flushed while it runs and on SIGTERM,
the exit code of the verdict, and the client's key in no byte it writes."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx2
import openai
import pytest

from openai_conformance.redact import echoed_forms

KEY = "sk-proxy-cli-secret-7f3a9c2e11"
OTHER = "azure0key0without0any0shape42"  # a key no pattern would know: only the proxy's learning hides it


def _start(upstream: str, report_dir: Path) -> tuple[subprocess.Popen[str], str]:
    command = [
        sys.executable,
        "-m",
        "openai_conformance",
        "proxy",
        "--upstream",
        upstream,
        "--port",
        "0",
        "--report-dir",
        str(report_dir),
        "--flush-every",
        "0.2",
    ]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert child.stdout is not None
    line = child.stdout.readline()
    assert line.startswith("Proxying "), line + (child.stderr.read() if child.stderr else "")
    return child, line.split()[1]


def _json_report(report_dir: Path) -> dict[str, Any] | None:
    found = sorted(report_dir.glob("*.json"))
    return json.loads(found[0].read_text()) if found else None


def test_reports_are_flushed_and_written_on_sigterm_without_the_key(server_factory: Any, tmp_path: Path) -> None:
    server = server_factory(faults=["ignore_n", "bare_errors"], api_keys=[KEY])
    child, base_url = _start(server.base_url, tmp_path)
    try:
        with openai.OpenAI(base_url=base_url, api_key=KEY, max_retries=0, timeout=10) as client:
            client.completions.create(model="text-davinci-003", prompt="x", n=2, max_tokens=2)
            with pytest.raises(openai.NotFoundError):
                client.files.retrieve("file-none")
        # The other key, in a header and in the query (as Azure-style clients send it): a 401.
        httpx2.get(base_url + f"/models?api-key={OTHER}", headers={"api-key": OTHER}, timeout=10)
        deadline = time.monotonic() + 10
        while (_json_report(tmp_path) or {}).get("counters", {}).get("requests", 0) < 3:
            assert time.monotonic() < deadline, "no report flushed while the proxy runs"
            time.sleep(0.1)
    finally:
        child.send_signal(signal.SIGTERM)
        out, err = child.communicate(timeout=30)
    assert child.returncode == 1, err
    document = _json_report(tmp_path)
    assert document is not None
    assert {f["check"] for f in document["findings"]} >= {"choices_count", "error_envelope"}
    assert document["run"]["modes"] == ["proxy"]
    assert "NONCONFORMANT" in out and "json report:" in out
    written = b"".join(p.read_bytes() for p in tmp_path.iterdir()) + out.encode() + err.encode()
    assert len(list(tmp_path.iterdir())) == 4
    for secret in (KEY, OTHER):
        leaked = [form for form in echoed_forms(secret) if form.encode() in written]
        assert leaked == [], f"{secret} written as {leaked}"


def test_bad_arguments_are_one_line_and_exit_2(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "openai_conformance", "proxy", "--upstream", "ftp://x", "--report-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "--upstream" in done.stderr
