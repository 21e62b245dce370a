"""A files server of our own that trusts every file part to carry a Content-Type, as some mocks do.

Unlike the others here: socketserver with HTTP read by hand, and multipart split on its boundary
by hand. ``crash`` says what a part without a Content-Type does to it: nothing (``""``, correct),
a 500 (``"500"``), a connection closed with no answer (``"drop"``), the whole server gone (``"die"``),
or a 500 and then gone (``"last_words"``).
"""

from __future__ import annotations

import contextlib
import json
import socketserver
import threading
import time
from collections.abc import Iterator
from typing import Any

KEY = "sk-uploads"  # the key it takes (a test value, not a secret)
MODELS = ["gpt-3.5-turbo", "davinci"]


def _parts(body: bytes, content_type: str) -> list[tuple[dict[str, str], bytes]]:
    """(headers with lower-case names, content) of each part, split on the boundary by hand."""
    boundary = content_type.split("boundary=", 1)[1].strip('"').encode()
    out = []
    for chunk in body.split(b"--" + boundary)[1:-1]:
        head, _, content = chunk.strip(b"\r\n").partition(b"\r\n\r\n")
        headers = {}
        for line in head.decode().split("\r\n"):
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        out.append((headers, content))
    return out


def _disposition(header: str) -> dict[str, str]:
    pairs = (item.strip().partition("=") for item in header.split(";")[1:])
    return {key: value.strip('"') for key, _, value in pairs}


class _Handler(socketserver.StreamRequestHandler):
    server: _Server

    def handle(self) -> None:
        while True:  # keep-alive: one request after another on the same connection
            line = self.rfile.readline()
            if not line.strip():
                return
            method, target, _ = line.decode().split(" ", 2)
            headers = {}
            while (header := self.rfile.readline().strip()) != b"":
                name, _, value = header.decode().partition(":")
                headers[name.lower()] = value.strip()
            body = self.rfile.read(int(headers.get("content-length", 0)))
            if headers.get("authorization") != f"Bearer {KEY}":
                self._reply(401, {"error": {"message": "bad key", "type": "auth", "param": None, "code": None}})
                continue
            try:
                self._reply(*self._route(method, target.split("?")[0], headers, body))
            except KeyError:  # what a part without its Content-Type does to this server
                if self.server.crash in ("die", "last_words"):
                    # gone before any answer leaves: a new connection is refused, never half taken
                    threading.Thread(target=self.server.shutdown, daemon=True).start()
                    self.server.socket.close()
                if self.server.crash in ("500", "last_words"):
                    # Its last words say the connection ends: else a client may write its next request
                    # into the closing socket first, and which request is blamed is a race.
                    closing = {"Connection": "close"} if self.server.crash == "last_words" else {}
                    self._raw(500, "text/plain", b"Internal Server Error", closing)
                if self.server.crash == "500":
                    continue
                return  # "drop", "die" and "last_words": the connection closes

    def _route(self, method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, Any]:
        if method == "GET" and path == "/v1/models":
            data = [{"id": m, "object": "model", "created": 1, "owned_by": "uploads"} for m in MODELS]
            return 200, {"object": "list", "data": data}
        if method == "POST" and path == "/v1/files":
            fields: dict[str, Any] = {}
            for part_headers, content in _parts(body, headers["content-type"]):
                options = _disposition(part_headers["content-disposition"])
                if "filename" in options:
                    self.server.seen.append(part_headers.get("content-type"))
                    kind = part_headers["content-type"] if self.server.crash else part_headers.get("content-type")
                    fields[options["name"]] = (options["filename"], kind, content)
                else:
                    fields[options["name"]] = content.decode()
            filename, _kind, content = fields["file"]
            record = {
                "id": f"file-{len(self.server.files) + 1}",
                "object": "file",
                "bytes": len(content),
                "created_at": int(time.time()),
                "filename": filename,
                "purpose": fields.get("purpose", ""),
            }
            self.server.files.append(record)
            return 200, record
        message = f"Unknown request URL: {method} {path}"
        return 404, {"error": {"message": message, "type": "invalid_request_error", "param": None, "code": None}}

    def _reply(self, status: int, body: Any) -> None:
        self._raw(status, "application/json", json.dumps(body).encode())

    def _raw(self, status: int, content_type: str, data: bytes, extra: dict[str, str] | None = None) -> None:
        more = "".join(f"{name}: {value}\r\n" for name, value in (extra or {}).items())
        head = f"HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\nContent-Length: {len(data)}\r\n{more}\r\n"
        self.wfile.write(head.encode() + data)


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, crash: str, seen: list[str | None]) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.crash = crash
        self.seen = seen
        self.files: list[dict[str, Any]] = []


@contextlib.contextmanager
def serve(*, crash: str = "", seen: list[str | None] | None = None) -> Iterator[str]:
    """Serve on 127.0.0.1 in a thread; yields the base URL (``http://127.0.0.1:PORT/v1``).

    ``seen`` gets the Content-Type of every file part that came (None: the part had none).
    """
    server = _Server(crash, [] if seen is None else seen)
    thread = threading.Thread(target=server.serve_forever, name="upload-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
