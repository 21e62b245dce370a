"""A gateway of our own for ``run --compare-to``: forwards every request to an upstream as it is.

http.server in front of the reference server. With ``drop`` set, the named top-level keys are
taken out of JSON answers and of each event of a stream, as a gateway that rewrites bodies does.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

import requests

# Framing is the gateway's own (it answers with a Content-Length); requests has already decoded gzip.
_NOT_FORWARDED = {"host", "connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding"}


class Gateway:
    """The switch a test flips between runs: which keys to drop, and how many requests went up."""

    def __init__(self, upstream: str) -> None:
        parts = urlsplit(upstream)
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.prefix = parts.path.rstrip("/")
        self.drop: set[str] = set()
        self.forwarded = 0
        self._lock = threading.Lock()

    def rewrite(self, body: bytes, content_type: str) -> bytes:
        if not self.drop:
            return body
        if content_type.startswith("application/json"):
            return self._without(body)
        if content_type.startswith("text/event-stream"):
            lines = body.split(b"\n")
            return b"\n".join(
                b"data: " + self._without(line[6:]) if line.startswith(b"data: {") else line for line in lines
            )
        return body

    def _without(self, text: bytes) -> bytes:
        value = json.loads(text)
        if isinstance(value, dict):
            value = {k: v for k, v in value.items() if k not in self.drop}
        return json.dumps(value).encode()

    def count(self) -> None:
        with self._lock:
            self.forwarded += 1


def _handler(gateway: Gateway) -> type[BaseHTTPRequestHandler]:
    class Forward(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as the runner's session expects of a server

        def forward(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            headers = {k: v for k, v in self.headers.items() if k.lower() not in _NOT_FORWARDED}
            gateway.count()
            upstream = requests.request(
                self.command, gateway.origin + self.path, headers=headers, data=body, allow_redirects=False, timeout=30
            )
            content = gateway.rewrite(upstream.content, upstream.headers.get("content-type", ""))
            self.send_response(upstream.status_code)
            for name, value in upstream.headers.items():
                if name.lower() not in _NOT_FORWARDED | {"date", "server"}:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)

        do_GET = do_POST = do_DELETE = do_PUT = do_PATCH = forward

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's name
            return

    return Forward


@contextlib.contextmanager
def serve_gateway(upstream: str) -> Iterator[tuple[str, Gateway]]:
    """The gateway's base URL (the upstream's path on a port of its own) and its switch."""
    gateway = Gateway(upstream)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(gateway))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{gateway.prefix}", gateway
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)
