"""Serve a test's own ASGI app on 127.0.0.1 in a daemon thread, for as long as a block runs."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from typing import Any

from openai_conformance.server._runner import bind, uvicorn_server


@contextlib.contextmanager
def serving(app: Any) -> Iterator[str]:
    """The app's base URL (``http://127.0.0.1:<port>/v1``) while the block runs."""
    sock = bind("127.0.0.1", 0)
    server = uvicorn_server(app)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/v1"
    finally:
        server.should_exit = True
        thread.join(10)
