"""Running the proxy: uvicorn in a thread, one checker thread, and reports brought up to date.

``proxy_in_thread`` is what the CLI and the tests use: it returns once the proxy
accepts connections, and on leaving it stops accepting, checks what is queued
and writes the results one last time.
"""

from __future__ import annotations

import contextlib
import logging
import math
import queue
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import uvicorn

from ._app import Forwarder, ProxyOptions, create_proxy_app
from ._record import ProxyRunOptions, Recorder

if TYPE_CHECKING:
    from openai_conformance.spec import Spec

    from ..results import RunResult
    from ._exchange import Exchange

START_TIMEOUT = 20.0
THREAD = "oc-proxy"  # uvicorn's thread, and its event loop's
GRACE = 5.0  # seconds exchanges in flight get to finish when the proxy stops
Writer = Callable[["RunResult"], object]  # the results -> wherever reports go


class Checker:
    """One thread that checks finished exchanges in the order they ended (the loop never waits on it)."""

    def __init__(self, recorder: Recorder) -> None:
        self.recorder = recorder
        self._queue: queue.Queue[Exchange | None] = queue.Queue()
        self._open = 0  # exchanges the app has begun and not yet handed over
        self._settled = threading.Condition()
        self._thread = threading.Thread(target=self._work, name="oc-proxy-checks", daemon=True)
        self._thread.start()

    @property
    def in_flight(self) -> int:
        """Exchanges begun and not yet handed over (answers still on their way)."""
        return self._open

    def opened(self) -> None:
        with self._settled:
            self._open += 1

    def submit(self, exchange: Exchange) -> None:
        self._queue.put(exchange)
        self._closed()

    def skip(self, reason: str) -> None:
        self.recorder.note(reason)
        self._closed()

    def _closed(self) -> None:
        with self._settled:
            self._open -= 1
            self._settled.notify_all()

    def drain(self, timeout: float = 10.0) -> None:
        """Wait (up to ``timeout`` for those in flight) until every exchange begun so far is checked.

        A client has its whole answer a moment before the proxy hands the exchange over.
        """
        with self._settled:
            self._settled.wait_for(lambda: self._open <= 0, timeout)
        self._queue.join()

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=30)

    def _work(self) -> None:
        while (exchange := self._queue.get()) is not None:
            try:
                self.recorder.record(exchange)
            except Exception as exc:  # noqa: BLE001 - one odd exchange must not stop the checks
                self.recorder.note(f"internal error checking {exchange.method} {exchange.path}: {type(exc).__name__}")
                self.recorder.broken = True
            finally:
                self._queue.task_done()
        self._queue.task_done()


class _IncompleteIsOurs(logging.Filter):
    """uvicorn logs a response we left incomplete on purpose (the upstream cut it): the results say so."""

    def filter(self, record: logging.LogRecord) -> bool:
        # Only the proxy's own thread: a server in the same process keeps its warnings.
        return record.threadName != THREAD or "without completing response" not in record.getMessage()


@dataclass
class RunningProxy:
    """A started proxy: where it listens, its results so far, and how to stop it."""

    host: str
    port: int
    base_path: str
    recorder: Recorder
    checker: Checker
    _stop: Any = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        """What clients use as their base URL (``http://127.0.0.1:PORT/v1``)."""
        return self.url + self.base_path

    def results(self) -> RunResult:
        """The results of every exchange that has ended (waits for their checks)."""
        self.checker.drain()
        return self.recorder.result()

    def stop(self) -> None:
        if self._stop is not None:
            stop, self._stop = self._stop, None
            stop()


def bind(host: str, port: int) -> socket.socket:
    """A listening socket; IPPROTO_TCP so that asyncio sets TCP_NODELAY (no 40 ms delayed ACKs)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(1024)
    return sock


@contextlib.contextmanager
def proxy_in_thread(
    spec: Spec,
    options: ProxyOptions,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    run_options: ProxyRunOptions | None = None,
    write: Writer | None = None,
    flush_every: float = 0.0,
    grace: float = GRACE,
) -> Iterator[RunningProxy]:
    """Run the proxy under uvicorn in a daemon thread; ``write`` gets the results document
    every ``flush_every`` seconds when something changed (0: never) and once at the end;
    on stopping, exchanges in flight get ``grace`` seconds to finish.

    Example: ``with proxy_in_thread(spec, ProxyOptions(upstream)) as proxy: proxy.base_url``.
    """
    recorder = Recorder(spec, options.upstream, run_options)
    checker = Checker(recorder)
    forwarder = Forwarder(options, spec.base_path, checker)
    logger = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, _IncompleteIsOurs) for f in logger.filters):
        logger.addFilter(_IncompleteIsOurs())
    # Our own Server and Date would come before the upstream's: the client sees only the upstream's.
    config = uvicorn.Config(
        create_proxy_app(forwarder),
        log_level="warning",
        access_log=False,
        lifespan="on",
        timeout_keep_alive=30,
        server_header=False,
        date_header=False,
        timeout_graceful_shutdown=math.ceil(grace),
    )
    server = uvicorn.Server(config)
    sock = bind(host, port)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name=THREAD, daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            sock.close()
            checker.close()
            raise RuntimeError("the proxy did not start")
        time.sleep(0.005)
    stopped = threading.Event()
    flusher = _Flusher(recorder, write, flush_every, stopped) if write and flush_every > 0 else None

    def stop() -> None:
        server.should_exit = True  # uvicorn lets exchanges in flight finish first
        thread.join(timeout=grace + 10)
        sock.close()
        stopped.set()
        if flusher is not None:
            flusher.join()
        checker.drain()
        checker.close()
        if write is not None:
            write(recorder.result())

    running = RunningProxy(host, sock.getsockname()[1], spec.base_path, recorder, checker, stop)
    try:
        yield running
    finally:
        running.stop()


class _Flusher(threading.Thread):
    """Writes the results every ``every`` seconds while something changed since the last write."""

    def __init__(self, recorder: Recorder, write: Writer, every: float, stopped: threading.Event) -> None:
        super().__init__(name="oc-proxy-flush", daemon=True)
        self.recorder, self.write, self.every, self.stopped = recorder, write, every, stopped
        self._written = 0
        self.start()

    def run(self) -> None:
        while not self.stopped.wait(self.every):
            changes = self.recorder.changes
            if changes != self._written:
                self.write(self.recorder.result())
                self._written = changes
