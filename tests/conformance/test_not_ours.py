"""The run never deletes, cancels or revokes what it did not create itself.

Two real targets on loopback hold objects of someone else's: the reference
server with its pre-existing files, fine-tune and model, and a stdlib server
that answers every call of every shipped spec with an object that is not the
run's (only a create to a collection answers with a new id). Retrieves, lists
and updates of those objects must not make them the run's own.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

from openai_conformance.engine._policy import is_destructive
from openai_conformance.server import serve_in_thread
from openai_conformance.spec import load_spec

KEY = "sk-someone-elses-objects-0123456789"
SHIPPED = ("openai-1.1.0", "openai-1.2.0", "openai-1.3.0", "openai-2.0.0", "openai-2.3.0-2026-08-21")
THEIRS = "theirs-0001"


def run(base_url: str, report_dir: Path, *extra: str) -> dict:
    done = subprocess.run(
        [
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
            "json",
            "--quiet",
            "--include-deprecated",
            *extra,
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "Traceback" not in done.stderr, done.stderr
    return json.loads(next(report_dir.glob("*.json")).read_text())


def listing(base_url: str, what: str) -> list[dict]:
    got = requests.get(f"{base_url}/{what}", headers={"Authorization": f"Bearer {KEY}"}, timeout=10).json()
    return got["data"]


def test_the_reference_servers_own_objects_survive_a_run(tmp_path: Path) -> None:
    """Pre-existing files, fine-tune and model: retrieved, listed, never deleted or cancelled."""
    with serve_in_thread(spec=load_spec("openai-1.1.0"), api_keys=[KEY]) as server:
        files = {f["id"] for f in listing(server.base_url, "files")}
        tunes = {t["id"] for t in listing(server.base_url, "fine-tunes")}
        models = {m["id"] for m in listing(server.base_url, "models")}
        results = run(server.base_url, tmp_path, "--modes", "positive,examples,stateful", "--max-examples", "5")
        assert files <= {f["id"] for f in listing(server.base_url, "files")}
        # The server moves its jobs along by itself; a cancel is the one thing not to see.
        assert not {t["id"] for t in listing(server.base_url, "fine-tunes") if t["status"] == "cancelled"} & tunes
        assert models <= {m["id"] for m in listing(server.base_url, "models")}
    skipped = " ".join(s["reason"] for s in results["skipped"])
    assert "destructive" in skipped  # counted, not silently dropped
    # The workflows still ran on what the run created.
    delete = next(o for o in results["operations"] if o["operation_id"] == "deleteFile")
    assert delete["cases_by_mode"].get("stateful", 0) >= 1


def test_with_allow_destructive_the_same_run_does_touch_them(tmp_path: Path) -> None:
    """The other side of the rule: the test above can see a delete that happened."""
    with serve_in_thread(spec=load_spec("openai-1.1.0"), api_keys=[KEY]) as server:
        files = {f["id"] for f in listing(server.base_url, "files")}
        run(
            server.base_url,
            tmp_path,
            "--operations",
            "retrieveFile,deleteFile",
            "--modes",
            "positive,examples",
            "--allow-destructive",
        )
        assert not files <= {f["id"] for f in listing(server.base_url, "files")}


class _Theirs(BaseHTTPRequestHandler):
    """Everything exists and belongs to someone else, except what a create makes."""

    made = 0
    lock = threading.Lock()
    destructive: list[tuple[str, str]] = []
    ops: list[tuple[str, re.Pattern[str]]] = []

    def log_message(self, *args: object) -> None:
        pass

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        path = self.path.split("?")[0].removeprefix("/v1")
        last = path.rstrip("/").rsplit("/", 1)[-1]
        if any(self.command == m and rx.fullmatch(path) for m, rx in self.ops):
            self.destructive.append((self.command, path))
        body: dict = {
            "object": "file",
            "id": THEIRS,
            "deleted": True,
            "status": "running",
            "data": [{"id": THEIRS, "object": "model"}],
        }
        if self.command == "POST" and not last.startswith(THEIRS) and not last.startswith("made-"):
            with self.lock:
                type(self).made += 1
                body["id"] = f"made-{type(self).made}"
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_DELETE = do_PUT = do_PATCH = _answer


@contextmanager
def theirs_server(spec_name: str) -> Iterator[tuple[str, type[_Theirs]]]:
    spec = load_spec(spec_name)
    handler = type(
        "Handler",
        (_Theirs,),
        {
            "destructive": [],
            "made": 0,
            "ops": [
                (op.method, re.compile(re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(op.path))))
                for op in spec.operations
                if is_destructive(op)
            ],
        },
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1", handler
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.slow
@pytest.mark.parametrize("spec_name", SHIPPED)
def test_every_destructive_call_of_every_spec_names_only_what_the_run_made(spec_name: str, tmp_path: Path) -> None:
    with theirs_server(spec_name) as (base_url, handler):
        run(
            base_url,
            tmp_path,
            "--spec",
            spec_name,
            "--modes",
            "positive,examples,stateful",
            "--max-examples",
            "2",
            "--timeout",
            "5",
        )
    for method, path in handler.destructive:
        named = [part for part in path.split("/") if part == THEIRS or part.startswith(("made-", "file-", "ft-"))]
        assert THEIRS not in path, f"{method} {path} acts on an object the run did not create"
        assert all(part.startswith("made-") for part in named), f"{method} {path}"


def test_the_theirs_server_would_show_a_destructive_call(tmp_path: Path) -> None:
    """With --allow-destructive the same target does get deletes of its objects."""
    with theirs_server("openai-1.1.0") as (base_url, handler):
        run(
            base_url,
            tmp_path,
            "--operations",
            "listFiles,deleteFile,deleteModel",
            "--modes",
            "positive,examples",
            "--max-examples",
            "2",
            "--allow-destructive",
        )
    assert [p for m, p in handler.destructive if m == "DELETE"]
