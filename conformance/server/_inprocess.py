"""One request to this same server, in-process: the boundary batches answer through.

``dispatch(app, method, path, body, authorization)`` sends a JSON request to the
ASGI ``app`` as a client would (auth, validation, faults, the registered handler),
so a batch line gets exactly the answer the endpoint gives over HTTP, whoever wrote
the handler.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.types import ASGIApp, Message


async def dispatch(app: ASGIApp, method: str, path: str, body: Any, authorization: str) -> tuple[int, Any]:
    """The status and the parsed JSON body (``None`` if not JSON) of one request."""
    raw = json.dumps(body).encode("utf-8")
    path_only, _, query = path.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path_only,
        "raw_path": path_only.encode(),
        "root_path": "",
        "query_string": query.encode(),
        "server": ("127.0.0.1", 0),
        "client": ("127.0.0.1", 0),
        "headers": [
            (b"authorization", authorization.encode("latin-1")),
            (b"content-type", b"application/json"),
            (b"content-length", str(len(raw)).encode()),
        ],
    }
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": raw, "more_body": False}

    status, chunks = 500, []

    async def send(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    try:
        return status, json.loads(b"".join(chunks))
    except ValueError:
        return status, None
