"""Hostile spec documents, and a loopback HTTP server that serves them badly on purpose.

Shared by ``test_hostile_specs.py`` and ``benchmarks/bench_hostile.py``. The
server is the standard library's, in a thread; each path answers with its route.
"""

from __future__ import annotations

import gzip
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Route = Callable[[BaseHTTPRequestHandler], None]
HEAD = 'openapi: 3.0.0\ninfo: {title: hostile, version: "1"}\nservers: [{url: "http://localhost/v1"}]\n'
ONE_OP = (
    HEAD
    + """paths:
  /things:
    post:
      operationId: createThing
      requestBody:
        content:
          application/json:
            schema: {$ref: "%s"}
      responses:
        "200": {description: ok}
"""
)
# The component schemas no validator can use, and the lint kind that names each.
UNUSABLE = {
    "self-ref": ("    Thing: {$ref: '#/components/schemas/Thing'}\n", "schema_cycle"),
    "ref-cycle": (
        "    Thing: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/Thing'}\n",
        "schema_cycle",
    ),
    "allof-cycle": ("    Thing: {allOf: [{$ref: '#/components/schemas/Thing'}, {type: object}]}\n", "schema_cycle"),
    "frobnicate": ("    Thing: {type: object, properties: {a: {type: frobnicate}}}\n", "unknown_type"),
    "ref-to-string": ("    Thing: {type: object, properties: {a: {$ref: '#/info/title'}}}\n", "ref_not_schema"),
}


def billion_laughs() -> str:
    """Under 500 bytes that a naive walk expands to 3.5 billion strings (9 ** 10)."""
    lines = [HEAD + "paths: {}", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for previous, name in zip("abcdefghi", "bcdefghij", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def unusable_text(case: str) -> str:
    return ONE_OP % "#/components/schemas/Thing" + "components:\n  schemas:\n" + UNUSABLE[case][0]


def gzip_bomb(megabytes: int = 100) -> bytes:
    return gzip.compress(b"\n" * (megabytes * 1024 * 1024), compresslevel=9)  # 100 MB in ~100 KB


class Served:
    """A loopback HTTP server answering each path with its route; it records the paths asked for."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[str] = []
        self.stop = threading.Event()  # set at shutdown: dripping and endless routes end
        served = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
                served.hits.append(self.path)
                served.routes.get(self.path, _not_found)(self)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def text(self, path: str, body: str | bytes, **headers: str) -> str:
        """Serve ``body`` at ``path`` with a length; returns its URL."""
        content = body.encode() if isinstance(body, str) else body

        def route(handler: BaseHTTPRequestHandler) -> None:
            handler.send_response(200)
            for key, value in {"Content-Length": str(len(content)), **headers}.items():
                handler.send_header(key, value)
            handler.end_headers()
            handler.wfile.write(content)

        return self.route(path, route)

    def route(self, path: str, route: Route) -> str:
        self.routes[path] = route
        return self.url + path

    def drip(self, path: str, *, head_first: bool) -> str:
        """A byte (or a header line) every 0.1 s, for ever: only a total deadline ends it."""

        def route(handler: BaseHTTPRequestHandler) -> None:
            try:
                if head_first:
                    handler.send_response(200)
                    handler.send_header("Content-Length", "100000")
                    handler.end_headers()
                else:
                    handler.wfile.write(b"HTTP/1.1 200 OK\r\n")
                while not self.stop.wait(0.1):
                    handler.wfile.write(b"#" if head_first else b"X-Drip: 1\r\n")
                    handler.wfile.flush()
            except OSError:
                pass  # the client gave up: what the deadline is for

        return self.route(path, route)

    def endless(self, path: str) -> str:
        """A body with no length that never ends: only a size cap ends it."""

        def route(handler: BaseHTTPRequestHandler) -> None:
            handler.send_response(200)
            handler.end_headers()
            try:
                while not self.stop.is_set():
                    handler.wfile.write(b"#" * 65536)
            except OSError:
                pass

        return self.route(path, route)


def _not_found(handler: BaseHTTPRequestHandler) -> None:
    handler.send_error(404)


@contextmanager
def serving() -> Iterator[Served]:
    """A started ``Served``, shut down (and its dripping routes ended) on the way out."""
    server = Served()
    threading.Thread(target=server.server.serve_forever, daemon=True).start()
    try:
        yield server
    finally:
        server.stop.set()
        server.server.shutdown()
        server.server.server_close()
