"""Fetching a document over http(s) within bounds: a size cap, a decompression cap, a deadline.

The same three bounds the runner puts on answers (``conformance/engine/_wire.py``),
rebuilt on the standard library because ``spec/`` may not import the runner:
a watchdog shuts the socket down when the total deadline passes (a read
timeout alone never trips on a body that drips a byte a second), and gzip is
inflated piece by piece with the output cap checked after each piece.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import threading
import time
import zlib
from urllib.parse import urljoin, urlsplit

from ._errors import SpecError, SpecErrorKind

MAX_BYTES = 32 * 1024 * 1024  # ten times the largest shipped document, before and after gzip
DEADLINE = 30.0  # seconds for the whole fetch, redirects included
MAX_REDIRECTS = 5
_PIECE = 64 * 1024


def fetch(
    url: str, *, redirects: bool = True, max_bytes: int = MAX_BYTES, deadline: float = DEADLINE
) -> tuple[str, bytes]:
    """(final URL, body) of a 200 answer to ``GET url``; any other outcome is a one-line ``SpecError``.

    ``redirects=False`` (for documents a ``$ref`` names) makes a redirect an
    error, so that a document of the allowed origin cannot send us elsewhere.
    """
    ends = time.monotonic() + deadline
    for _ in range(MAX_REDIRECTS + 1):
        status, location, body = _get(url, ends, max_bytes, deadline)
        if status == 200:
            return url, body
        if status in (301, 302, 303, 307, 308) and location and redirects:
            url = urljoin(url, location)
            if urlsplit(url).scheme not in ("http", "https"):
                raise _error(url, "redirected to a URL that is not http(s)")
            continue
        raise _error(url, f"HTTP {status}")
    raise _error(url, f"more than {MAX_REDIRECTS} redirects")


def _get(url: str, ends: float, max_bytes: int, deadline: float) -> tuple[int, str | None, bytes]:
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        raise _error(url, "not a valid URL") from None
    if not parts.hostname:
        raise _error(url, "the URL has no host")
    remaining = ends - time.monotonic()
    if remaining <= 0:
        raise _error(url, f"not complete within {deadline:g} s")
    connection: http.client.HTTPConnection
    if parts.scheme == "https":
        connection = http.client.HTTPSConnection(
            parts.hostname, port, timeout=remaining, context=ssl.create_default_context()
        )
    else:
        connection = http.client.HTTPConnection(parts.hostname, port, timeout=remaining)
    watchdog = _Watchdog(remaining)
    try:
        connection.connect()  # bounded by the socket timeout; from here the watchdog holds the socket
        watchdog.watch(connection.sock)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        connection.request(
            "GET", path, headers={"Accept-Encoding": "gzip", "Accept": "application/yaml, application/json, */*"}
        )
        response = connection.getresponse()
        if response.status != 200:
            return response.status, response.getheader("Location"), b""
        body = _read(response, max_bytes, url)
    except (OSError, http.client.HTTPException) as exc:
        if watchdog.fired or time.monotonic() >= ends:
            raise _error(url, f"not complete within {deadline:g} s") from None
        raise _error(url, type(exc).__name__) from None
    finally:
        watchdog.cancel()
        connection.close()
    if time.monotonic() >= ends:
        raise _error(url, f"not complete within {deadline:g} s")
    return 200, None, body


def _read(response: http.client.HTTPResponse, max_bytes: int, url: str) -> bytes:
    """The body, inflated if gzip, neither side past ``max_bytes``."""
    encoding = (response.getheader("Content-Encoding") or "identity").strip().lower()
    if encoding not in ("identity", "gzip", "x-gzip"):
        raise _error(url, f"unsupported Content-Encoding {encoding!r}")
    inflate = zlib.decompressobj(wbits=zlib.MAX_WBITS | 16) if encoding != "identity" else None
    received = 0
    out: list[bytes] = []
    size = 0
    while True:
        piece = response.read1(_PIECE)
        if not piece:
            break
        received += len(piece)
        if received > max_bytes:
            raise _too_large(url, max_bytes)
        if inflate is None:
            out.append(piece)
            size += len(piece)
        else:
            try:  # at most one byte past the cap, so a bomb never inflates in full
                while piece and size <= max_bytes:
                    data = inflate.decompress(piece, max_bytes + 1 - size)
                    out.append(data)
                    size += len(data)
                    piece = inflate.unconsumed_tail
            except zlib.error:
                raise _error(url, "the gzip body could not be decompressed") from None
        if size > max_bytes:
            raise _too_large(url, max_bytes)
    if inflate is not None and not inflate.eof:
        raise _error(url, "the gzip body ends before its end")
    return b"".join(out)


class _Watchdog:
    """Shuts the socket down when the deadline passes: a blocked recv then ends at once."""

    def __init__(self, seconds: float) -> None:
        self.fired = False
        self._sock: socket.socket | None = None
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True
        self._timer.start()

    def watch(self, sock: socket.socket | None) -> None:
        with self._lock:
            self._sock = sock
            if self.fired:
                _shut(sock)

    def cancel(self) -> None:
        self._timer.cancel()

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            _shut(self._sock)


def _shut(sock: socket.socket | None) -> None:
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)  # close() alone would not wake the recv
        except OSError:
            pass


def _too_large(url: str, max_bytes: int) -> SpecError:
    return SpecError(SpecErrorKind.TOO_LARGE, f"{_shown(url)}: the document is over {max_bytes:,} bytes")


def _error(url: str, why: str) -> SpecError:
    return SpecError(SpecErrorKind.FETCH, f"{_shown(url)}: {why}")


def _shown(url: str) -> str:
    """The URL without ``user:password@``: an error message must not carry a secret."""
    parts = urlsplit(url)
    return parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl() if "@" in parts.netloc else url
