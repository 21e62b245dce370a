"""Running the reference server: in a background thread, or in a child process.

Both bind a free loopback port first and return only once the server accepts
connections, so callers can use ``base_url`` at once.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import uvicorn

from ._app import create_app
from ._coalesce import JoinedWritesProtocol

if TYPE_CHECKING:
    from openai_conformance.spec import Spec

START_TIMEOUT = 20.0
KEYS_ENV = "OPENAI_CONFORMANCE_SERVER_KEYS"  # keys go to a child by env, not argv (ps shows argv)
READY = "openai-conformance-server listening on port"


@dataclass
class RunningServer:
    """A started reference server: where it listens, and how to stop it."""

    host: str
    port: int
    base_path: str = "/v1"
    _stop: Any = field(default=None, repr=False)
    pid: int | None = None  # the child's process id (a benchmark reads its CPU time); None in a thread

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        """The URL clients use as their base (``http://127.0.0.1:PORT/v1``)."""
        return self.url + self.base_path

    def stop(self) -> None:
        if self._stop is not None:
            stop, self._stop = self._stop, None
            stop()


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` (port 0: a free one)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY only on sockets whose proto says
    # TCP, and without it every response waits ~40 ms for a delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(1024)
    sock.set_inheritable(True)
    return sock


def uvicorn_server(app: Any) -> uvicorn.Server:
    # Access logs off: a conformance run sends thousands of requests.
    config = uvicorn.Config(
        app, http=JoinedWritesProtocol, log_level="warning", access_log=False, lifespan="off", timeout_keep_alive=30
    )
    return uvicorn.Server(config)


@contextlib.contextmanager
def serve_in_thread(
    *,
    spec: Spec | None = None,
    faults: Iterable[str] = (),
    api_keys: Iterable[str] | None = None,
    host: str = "127.0.0.1",
    port: int = 0,
    wrap: Callable[[Any], Any] | None = None,
) -> Iterator[RunningServer]:
    """Run the reference server under uvicorn in a daemon thread of this process.

    Example: ``with serve_in_thread(faults=["ignore_n"]) as server: server.base_url``.
    The server stops when the block ends (or at ``server.stop()``). ``wrap`` puts
    ASGI middleware around the app (a test's recorder of what it received).
    """
    app = create_app(spec, faults=faults, api_keys=api_keys)
    sock = bind(host, port)
    server = uvicorn_server(wrap(app) if wrap else app)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="openai-conformance-server", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            sock.close()
            raise RuntimeError("the reference server did not start")
        time.sleep(0.005)

    def stop() -> None:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()

    running = RunningServer(host, sock.getsockname()[1], app.state.config.spec.base_path, stop)
    try:
        yield running
    finally:
        running.stop()


@contextlib.contextmanager
def serve_in_subprocess(
    *,
    spec: Spec | None = None,
    faults: Iterable[str] = (),
    api_keys: Iterable[str] | None = None,
    host: str = "127.0.0.1",
    port: int = 0,
) -> Iterator[RunningServer]:
    """Run the reference server in a child process (``python -m openai_conformance.server``).

    Same arguments and result as ``serve_in_thread``; the child has its own GIL.
    It dies with its parent: it exits when its stdin (a pipe from us) closes.
    """
    command = [sys.executable, "-m", "openai_conformance.server", "--host", host, "--port", str(port), "--watch-stdin"]
    if spec is not None:
        command += ["--spec", spec.location]
    for name in faults:
        command += ["--fault", name]
    env = dict(os.environ)
    if api_keys is not None:
        env[KEYS_ENV] = "\n".join(api_keys)
    # A session of its own: a terminal's Ctrl-C goes to the runner, which stops the
    # child cleanly, instead of interrupting it mid-request with a traceback.
    child = subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=None, env=env, text=True, start_new_session=True
    )

    def stop() -> None:
        if child.poll() is None:
            child.terminate()
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        for pipe in (child.stdin, child.stdout):
            if pipe is not None:
                pipe.close()

    try:
        bound = _read_port(child)
    except BaseException:
        stop()
        raise
    running = RunningServer(host, bound, spec.base_path if spec else "/v1", stop, child.pid)
    try:
        yield running
    finally:
        running.stop()


def _read_port(child: subprocess.Popen[str]) -> int:
    """The port the child announces on its first line of output."""
    assert child.stdout is not None  # noqa: S101 - we asked for a pipe
    result: list[str] = []
    reader = threading.Thread(
        target=lambda: result.append(child.stdout.readline()),  # type: ignore[union-attr]
        daemon=True,
    )
    reader.start()
    reader.join(START_TIMEOUT)
    line = result[0] if result else ""
    if not line.startswith(READY):
        raise RuntimeError(f"the reference server did not start (exit code {child.poll()})")
    return int(line.split()[-1])
