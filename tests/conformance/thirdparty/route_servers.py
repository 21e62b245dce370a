"""A models-only server the way small OpenAI-compatible mocks are written: a dict of routes.

Its switches copy what such servers were seen doing: answering an unknown route the
framework's way (FastAPI's ``{"detail": "Not Found"}``, Starlette's plain text), serving at
``/`` rather than ``/v1``, and refusing every key.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

KEY = "sk-routes"  # the key it takes (a test value, not a secret)
MODELS = ["gpt-4o-mini", "text-embedding-3-small", "tp-fails-always"]
NOT_FOUND = {  # style -> (content type, body) of a 404
    "envelope": (
        "application/json",
        {
            "error": {
                "message": "Unknown request URL",
                "type": "invalid_request_error",
                "param": None,
                "code": "unknown_url",
            }
        },
    ),
    "detail": ("application/json", {"detail": "Not Found"}),
    "plain": ("text/plain", "404: Not Found"),
}


def _model(name: str) -> dict[str, Any]:
    return {"id": name, "object": "model", "created": 1_700_000_000, "owned_by": "routes"}


def _handler(prefix: str, not_found: str, refuse: bool, seen: list[Any]) -> type:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:  # the tests read results, not logs
            pass

        def do_GET(self) -> None:  # noqa: N802 - the stdlib's naming
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            with contextlib.suppress(ValueError):
                body = json.loads(raw) if raw else None
                if isinstance(body, dict) and "model" in body:
                    seen.append((self.path, body["model"]))  # which model each request asked
            if refuse or self.headers.get("Authorization") != f"Bearer {KEY}":
                return self._reply(
                    401,
                    "application/json",
                    {
                        "error": {
                            "message": "bad key",
                            "type": "invalid_request_error",
                            "param": None,
                            "code": "invalid_api_key",
                        }
                    },
                )
            path = self.path.split("?", 1)[0]
            if path == f"{prefix}/models":
                return self._reply(200, "application/json", {"object": "list", "data": [_model(m) for m in MODELS]})
            name = path.removeprefix(f"{prefix}/models/")
            if path.startswith(f"{prefix}/models/") and name in MODELS:
                return self._reply(200, "application/json", _model(name))
            self._reply(404, *NOT_FOUND[not_found])

        do_POST = do_DELETE = do_GET  # noqa: N815 - every method routes alike

        def _reply(self, status: int, content_type: str, body: Any) -> None:
            data = (body if isinstance(body, str) else json.dumps(body)).encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler


@contextlib.contextmanager
def serve(
    *, prefix: str = "/v1", not_found: str = "envelope", refuse: bool = False, seen: list[Any] | None = None
) -> Iterator[str]:
    """Serve on 127.0.0.1 in a thread; yields ``http://127.0.0.1:PORT`` (no path: add the base path).

    ``seen`` gets (path, model) of every request body that names a model.
    """
    handler = _handler(prefix, not_found, refuse, [] if seen is None else seen)
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="route-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
