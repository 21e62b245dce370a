"""Reading an answer off the wire within bounds: a total deadline, a size cap, a depth cap.

A read timeout bounds one ``recv``; a server that drips a byte a second never
trips it. So a watchdog shuts the socket down when the request's total deadline
passes, in the head as in the body, and the read that was blocked ends at once.
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

MAX_DEPTH = 64  # real answers nest a dozen levels; the checks recurse once per level
READ_SIZE = 64 * 1024
_current = threading.local()  # the deadline of the request this thread is sending
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKET = re.compile(rb"[^\[\]{}]")


REFUSED = "connection refused"


class TransportError(Exception):
    """The request got no usable answer: the message says why, in one line."""

    def __init__(self, message: str, *, timed_out: bool = False, refused: bool = False) -> None:
        super().__init__(message)
        self.timed_out = timed_out
        self.refused = refused  # the connection was refused: the request never reached the target


class Deadline:
    """The total time one request may take; past it, its socket is shut down."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds
        self.expired = False
        self._sock: socket.socket | None = None
        self._done = False
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> Deadline:
        _current.deadline = self
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self._done = True  # a late timer must not shut a socket that went back to the pool
        self._timer.cancel()
        _current.deadline = None

    def remaining(self) -> float:
        return self.at - time.monotonic()

    def watch(self, sock: socket.socket | None) -> None:
        with self._lock:
            self._sock = sock
            if self.expired:
                _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            if self._done:
                return
            self.expired = True
            _shut(self._sock)

    def error(self) -> TransportError:
        return TransportError(f"response not complete within {self.seconds:g} s", timed_out=True)


def _shut(sock: socket.socket | None) -> None:
    if sock is None:
        return
    try:
        sock.shutdown(socket.SHUT_RDWR)  # wakes a blocked recv; close() alone would not
    except OSError:
        pass


def _watch_current(sock: socket.socket | None) -> None:
    deadline = getattr(_current, "deadline", None)
    if deadline is not None:
        deadline.watch(sock)


class _WatchedHTTPConnection(HTTPConnection):
    def getresponse(self) -> Any:
        _watch_current(self.sock)
        return super().getresponse()


class _WatchedHTTPSConnection(HTTPSConnection):
    def getresponse(self) -> Any:
        _watch_current(self.sock)
        return super().getresponse()


class _WatchedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


class WatchedAdapter(HTTPAdapter):
    """requests' adapter, with connections whose socket the current ``Deadline`` may shut."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _WatchedHTTPPool, "https": _WatchedHTTPSPool}


def new_http() -> requests.Session:
    """A session of our own: no proxy from the environment (it would see the key), watched sockets."""
    session = requests.Session()
    session.trust_env = False
    for prefix in ("http://", "https://"):
        session.mount(prefix, WatchedAdapter())
    return session


def chunks(raw: requests.Response, deadline: Deadline, max_body: int, what: str = "body") -> Iterator[bytes]:
    """The (decompressed) body in pieces of at most 64 KiB, within the size cap and the deadline.

    Raises ``TransportError`` when the body passes ``max_body`` ("response too large"),
    the deadline passes, or the connection breaks; decompression is bounded per
    piece by urllib3 (2.6+), so a gzip bomb costs one piece at a time.
    """
    size = 0
    try:
        for chunk in raw.iter_content(READ_SIZE):
            size += len(chunk)
            if size > max_body:
                raise TransportError(f"response too large: {what} over {max_body} bytes (cut)")
            if deadline.expired or deadline.remaining() < 0:
                raise deadline.error()
            yield chunk
    except requests.RequestException as exc:
        raise failure(exc, deadline) from None


def failure(exc: requests.RequestException, deadline: Deadline) -> TransportError:
    """The one-line error of a failed request; any timeout but connecting is the deadline's."""
    if deadline.expired or (is_timeout(exc) and not isinstance(exc, requests.ConnectTimeout)):
        return deadline.error()
    message = describe(exc)
    return TransportError(message, timed_out=is_timeout(exc), refused=message == REFUSED)


def read_body(raw: requests.Response, deadline: Deadline, max_body: int) -> bytes:
    return b"".join(chunks(raw, deadline, max_body))


def parse_json(content: bytes, content_type: str) -> tuple[bool, Any]:
    """(parsed?, value) of a JSON body; ``TransportError`` when it nests past ``MAX_DEPTH``.

    Nesting past what the checks can walk is named as such, not "not valid JSON".
    """
    stripped = content.lstrip()[:1]
    if "json" not in content_type and stripped not in (b"{", b"["):
        return False, None
    try:
        value = json.loads(content)
    except RecursionError:
        raise _too_deep() from None
    except (ValueError, UnicodeDecodeError):
        return False, None
    if content.count(b"[") + content.count(b"{") > MAX_DEPTH and nesting_over(content, MAX_DEPTH):
        raise _too_deep()
    return True, value


def nesting_over(content: bytes, limit: int) -> bool:
    """Whether valid JSON nests deeper than ``limit``: peel innermost brackets, ``limit`` times."""
    brackets = _NOT_BRACKET.sub(b"", _STRING.sub(b"", content))
    for _ in range(limit):
        peeled = brackets.replace(b"[]", b"").replace(b"{}", b"")
        if not peeled:
            return False
        brackets = peeled
    return True


def _too_deep() -> TransportError:
    return TransportError(f"response too deeply nested: JSON over {MAX_DEPTH} levels")


def is_timeout(exc: BaseException) -> bool:
    """A timeout anywhere in the chain (requests wraps a body's read timeout as a connection error)."""
    seen: BaseException | None = exc
    for _ in range(8):
        if seen is None:
            return False
        if isinstance(seen, (requests.Timeout, TimeoutError, socket.timeout)) or "timed out" in str(seen).lower():
            return True
        seen = (
            seen.__cause__
            or seen.__context__
            or (seen.args[0] if seen.args and isinstance(seen.args[0], BaseException) else None)
        )
    return False


def describe(exc: Exception) -> str:
    """One line for a requests error: what a user can act on, never a repr."""
    if isinstance(exc, requests.ConnectTimeout):
        return "connect timeout"
    if isinstance(exc, (requests.ReadTimeout, requests.Timeout)) or is_timeout(exc):
        return "read timeout"
    if isinstance(exc, requests.exceptions.ContentDecodingError):
        return "body could not be decompressed"
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        return "response body cut short"
    if isinstance(exc, requests.ConnectionError):
        text = str(exc)
        if "Connection refused" in text:
            return REFUSED
        if "reset" in text.lower():
            return "connection reset"
        if "RemoteDisconnected" in text or "closed connection" in text:
            return "connection closed without a response"
        if "IncompleteRead" in text or "Connection broken" in text:
            return "response body cut short"
        return "connection error"
    return type(exc).__name__
