"""A bounded, decoded copy of a body as it passes through, with its SSE events read as they come.

The client gets the upstream's bytes as they are (compressed or not); the checks
get this copy, decompressed under the same cap as the runner's (16 MB), so a
decompression bomb costs the copy, never the client's answer.
"""

from __future__ import annotations

import zlib
from typing import Any

# zlib window bits: 16 + MAX_WBITS reads a gzip header, MAX_WBITS a zlib one.
_DECODERS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}


def data_lines(pending: bytes, chunk: bytes) -> tuple[list[str], bytes]:
    """The ``data:`` payloads of the complete lines in ``pending + chunk``, and what is left.

    Minimal on purpose (one place to swap for a full SSE parser): each ``data:``
    line is one event, as the runner's session reads streams.
    """
    *lines, rest = (pending + chunk).split(b"\n")
    found = []
    for line in lines:
        text = line.decode("utf-8", "replace").rstrip("\r")
        if text.startswith("data:"):
            found.append(text[5:].strip())
    return found, rest


class Tee:
    """What the checks see of one response: decoded bytes up to ``max_body``, and its events."""

    def __init__(self, *, content_encoding: str, event_stream: bool, max_body: int) -> None:
        self.max_body = max_body
        self.events: list[str] | None = [] if event_stream else None
        self.error: str | None = None  # the upstream cut the body, or it broke a bound
        self.over_cap = False
        self._chunks: list[bytes] = []
        self._size = 0
        self._pending = b""
        self._decoder: Any = None
        encoding = content_encoding.strip().lower()
        if encoding in _DECODERS:
            self._decoder = zlib.decompressobj(_DECODERS[encoding])
        self.undecodable: str | None = None if encoding in ("", "identity", *_DECODERS) else encoding

    def feed(self, raw: bytes) -> None:
        """Keep the decoded form of one chunk the client was sent (nothing past the cap)."""
        if self.over_cap or self.undecodable or not raw:
            return
        room = self.max_body - self._size
        try:
            data = self._decoder.decompress(raw, room + 1) if self._decoder else raw
        except zlib.error:
            self.error = "body could not be decompressed"
            self.over_cap = True  # nothing more is kept; what came is not what was labelled
            return
        if len(data) > room or (self._decoder is not None and self._decoder.unconsumed_tail):
            self.over_cap = True
            self.error = f"body over {self.max_body} bytes decoded (the client got it all; checked no further)"
            data = data[:room]
        self._size += len(data)
        self._chunks.append(data)
        if self.events is not None:
            found, self._pending = data_lines(self._pending, data)
            self.events.extend(found)

    def cut(self, reason: str) -> None:
        """The body ended early, for ``reason``: the checks are told."""
        self.error = self.error or reason

    def finish(self) -> None:
        if self.events is not None and self._pending:
            found, self._pending = data_lines(self._pending, b"\n")
            self.events.extend(found)

    @property
    def content(self) -> bytes:
        return b"".join(self._chunks)
