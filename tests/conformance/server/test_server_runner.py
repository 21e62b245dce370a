"""Starting the server: in a thread, in a child process that dies with its parent,
and from the command line."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import time

import pytest
import requests

from openai_conformance.cli import main
from openai_conformance.server import FAULTS, serve_in_subprocess, serve_in_thread


def _accepts(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
    except OSError:
        return False
    return True


def test_thread_server_stops_and_frees_its_port(seed_spec) -> None:
    with serve_in_thread(spec=seed_spec) as server:
        assert server.base_url == f"http://127.0.0.1:{server.port}/v1"
        assert (
            requests.get(server.base_url + "/models", timeout=5, headers={"Authorization": "Bearer sk-x"}).status_code
            == 200
        )
    assert not _accepts(server.port)


def test_subprocess_server_serves_with_faults_and_keys(seed_spec) -> None:
    with serve_in_subprocess(spec=seed_spec, faults=["ignore_n"], api_keys=["sk-only"]) as server:
        url = server.base_url + "/completions"
        body = {"model": "ada", "prompt": "x", "n": 3, "max_tokens": 2}
        right = requests.post(url, json=body, headers={"Authorization": "Bearer sk-only"}, timeout=10)
        assert len(right.json()["choices"]) == 1  # the fault is on in the child
        wrong = requests.post(url, json=body, headers={"Authorization": "Bearer sk-other"}, timeout=10)
        assert wrong.status_code == 401
    assert not _accepts(server.port)


def test_subprocess_server_dies_with_its_parent() -> None:
    parent = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent("""
        import sys, time
        from openai_conformance.server import serve_in_subprocess
        with serve_in_subprocess() as server:
            print(server.port, flush=True)
            time.sleep(60)
    """),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        port = int(parent.stdout.readline())
        assert _accepts(port)
        os.kill(parent.pid, signal.SIGKILL)  # no cleanup code of the parent runs
        parent.wait(10)
        deadline = time.monotonic() + 10
        while _accepts(port) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _accepts(port)
    finally:
        if parent.poll() is None:
            parent.kill()
        parent.stdout.close()


def test_cli_lists_faults(capsys) -> None:
    assert main(["serve", "--list-faults"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert [line.split()[0] for line in lines] == list(FAULTS)


@pytest.mark.parametrize(
    "argv",
    [["serve", "--fault", "no_such_fault"], ["serve", "--port", "70000"], ["serve", "--spec", "no-such-spec"]],
    ids=["unknown-fault", "bad-port", "unknown-spec"],
)
def test_cli_bad_input_is_one_line_exit_2(capsys, argv) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_cli_serves_until_interrupted(tmp_path) -> None:
    child = subprocess.Popen(
        [sys.executable, "-m", "openai_conformance", "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = child.stdout.readline()
        assert line.startswith("Serving http://127.0.0.1:")
        base_url = line.split()[1]
        assert (
            requests.get(base_url + "/models", headers={"Authorization": "Bearer sk-x"}, timeout=5).status_code == 200
        )
        child.send_signal(signal.SIGINT)
        assert child.wait(10) == 0
    finally:
        if child.poll() is None:
            child.kill()
        child.stdout.close()
        child.stderr.close()
