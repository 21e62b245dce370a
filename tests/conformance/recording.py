"""The reference server behind a recorder: every request it got, for tests to audit.

The app is the real one under the real uvicorn (``serve_in_thread``); the
recorder is an ASGI layer that keeps (method, path, body) of each request.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from openai_conformance.server import serve_in_thread


@dataclass
class Recorder:
    app: Any
    requests: list[tuple[str, str, bytes]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)  # of each request, in order

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
        self.headers.append({k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]})
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
def recording_server(
    *, faults: Iterable[str] = (), api_keys: Iterable[str] | None = None, spec: Any = None
) -> Iterator[RecordingServer]:
    recorders: list[Recorder] = []

    def wrap(app: Any) -> Recorder:
        recorders.append(Recorder(app))
        return recorders[0]

    with serve_in_thread(faults=faults, api_keys=api_keys, wrap=wrap, **({"spec": spec} if spec else {})) as server:
        yield RecordingServer(server.base_url, recorders[0])
