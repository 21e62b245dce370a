"""A stdlib third-party-like server: route tables per module, request dispatch, a thread to serve in.

Unlike the reference server (Starlette) and threaded.py (uvicorn): http.server, close-delimited streams.
"""

from __future__ import annotations

import contextlib
import functools
import json
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

KEY = "sk-thirdparty"  # the one key this server takes (a test value, not a secret)
SPEC = "openai-2.3.0-2026-08-21"


@dataclass
class Request:
    method: str
    path: str
    body: Any
    match: re.Match[str]
    bugs: frozenset[str]


@dataclass
class Reply:
    """A JSON body, or an iterator of SSE frames (bytes) when ``stream`` is set."""

    status: int = 200
    body: Any = None
    stream: Iterable[bytes] | None = None
    headers: dict[str, str] = field(default_factory=dict)


Handler = Callable[[Request], Reply]
Route = tuple[str, str, Handler]


def error(status: int, message: str, kind: str = "invalid_request_error", param: str | None = None) -> Reply:
    return Reply(status, {"error": {"message": message, "type": kind, "param": param, "code": None}})


@functools.cache
def _request_validator(path: str) -> Any:
    """The document's request schema for a POST path: servers built on pydantic models of it check as much."""
    from openai_conformance.spec import load_spec

    spec = load_spec(SPEC)
    for operation in spec.operations:
        body = operation.request_body
        if operation.method == "POST" and operation.path == path and body and "application/json" in body.content:
            return spec.validator(body.content["application/json"].pointer)
    return None


def invalid(req: Request) -> Reply | None:
    """A 400 for a body the document's request schema rejects, else ``None``."""
    validator = _request_validator(req.path)
    found = next(iter(validator.iter_errors(req.body)), None) if validator is not None else None
    if found is None:
        return None
    param = ".".join(str(p) for p in found.absolute_path) or None
    return error(400, f"Invalid request: {found.message[:200]}", param=param)


def _make_handler(routes: list[tuple[str, re.Pattern[str], Handler]], bugs: frozenset[str]) -> type:
    class RequestHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:  # quiet: tests read results, not logs
            pass

        def do_GET(self) -> None:  # noqa: N802 - the stdlib's naming
            self._serve("GET")

        def do_POST(self) -> None:  # noqa: N802
            self._serve("POST")

        def do_DELETE(self) -> None:  # noqa: N802
            self._serve("DELETE")

        def _serve(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            path = self.path.split("?", 1)[0].removeprefix("/v1")
            if self.headers.get("Authorization") != f"Bearer {KEY}":
                return self._send(error(401, "Incorrect API key provided.", "invalid_request_error"))
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                return self._send(error(400, "We could not parse the JSON body of your request."))
            for verb, pattern, handler in routes:
                match = pattern.fullmatch(path)
                if verb == method and match:
                    return self._send(handler(Request(method, path, body, match, bugs)))
            self._send(error(404, f"Unknown request URL: {method} {path}."))

        def _send(self, reply: Reply) -> None:
            if reply.stream is None:
                data = json.dumps(reply.body).encode()
                self.send_response(reply.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)
                return
            self.send_response(reply.status)
            self.send_header("Content-Type", "text/event-stream; charset=utf-8")
            self.send_header("Cache-Control", "no-cache")
            self.send_header("Connection", "close")  # the body ends when the connection does
            self.end_headers()
            for frame in reply.stream:
                self.wfile.write(frame)
                self.wfile.flush()
            self.close_connection = True

    return RequestHandler


@contextlib.contextmanager
def serve(route_tables: Iterable[list[Route]], *, bugs: Iterable[str] = ()) -> Iterator[str]:
    """Serve the routes on 127.0.0.1 in a thread; yields the base URL (``.../v1``)."""
    routes = [(verb, re.compile(path), handler) for table in route_tables for verb, path, handler in table]
    server = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(routes, frozenset(bugs)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="thirdparty-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
