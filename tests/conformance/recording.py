"""The reference server behind a recorder: every request it got, for tests to audit.

The app is the real one under the real uvicorn; the recorder is an ASGI layer
that keeps (method, path, body) of each request before passing it on.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from conformance.server import create_app
from conformance.server._runner import bind, uvicorn_server


@dataclass
class Recorder:
    app: Any
    requests: list[tuple[str, str, bytes]] = field(default_factory=list)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        more = True
        while more:
            message = await receive()
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        body = b"".join(chunks)
        self.requests.append((scope["method"], scope["path"], body))
        replayed = False

        async def replay() -> dict[str, Any]:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


@dataclass
class RecordingServer:
    base_url: str
    recorder: Recorder


@contextmanager
def recording_server(*, faults: Iterable[str] = (), api_keys: Iterable[str] | None = None) -> Iterator[RecordingServer]:
    recorder = Recorder(create_app(faults=faults, api_keys=api_keys))
    sock = bind("127.0.0.1", 0)
    server = uvicorn_server(recorder)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    try:
        yield RecordingServer(f"http://127.0.0.1:{sock.getsockname()[1]}/v1", recorder)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
