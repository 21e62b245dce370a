"""uvicorn's HTTP protocol, writing each response's head and body in one ``send``.

uvicorn writes the status line and headers, then the body, each at once: two syscalls
and two TCP segments a response, and the client reads twice. ``send`` was the largest
single cost of the server in a 2.3.0 run (0.3 ms each on a loaded machine). Writes made
in one turn of the event loop are joined and sent at the end of that turn.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.auto import AutoHTTPProtocol


class _JoinedWrites:
    """A transport whose writes of one event-loop turn go out as one; all else is the real one's."""

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._pending: list[bytes] = []

    def write(self, data: bytes) -> None:
        if not data:
            return
        if not self._pending:
            self._loop.call_soon(self._flush)
        self._pending.append(data)

    def _flush(self) -> None:
        if self._pending:
            data = b"".join(self._pending)
            self._pending.clear()
            if not self._transport.is_closing():
                self._transport.write(data)

    def close(self) -> None:
        self._flush()  # what was written before close is still sent, as asyncio's close does
        self._transport.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


class JoinedWritesProtocol(AutoHTTPProtocol):  # type: ignore[misc,valid-type]
    """uvicorn's own HTTP protocol (h11, or httptools when installed) over ``_JoinedWrites``."""

    def connection_made(self, transport: asyncio.Transport) -> None:
        super().connection_made(transport)
        self.transport = _JoinedWrites(transport, asyncio.get_running_loop())
