"""The upstream side: one keep-alive client, headers as they came, failures in one line.

httpx2 (the HTTP client the official ``openai`` SDK is built on) gives an async
pooled client that streams raw bytes, in the event loop uvicorn already runs.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import httpx2

if TYPE_CHECKING:
    from collections.abc import Iterable

# RFC 9110 7.6.1: hop-by-hop headers concern one connection, not the message.
# Host names the proxy (the client sets the upstream's); Expect
# is answered by the server the client talks to.
HOP_BY_HOP = frozenset(
    {
        b"connection",
        b"keep-alive",
        b"proxy-authenticate",
        b"proxy-authorization",
        b"proxy-connection",
        b"te",
        b"trailer",
        b"transfer-encoding",
        b"upgrade",
    }
)
_REQUEST_ONLY = frozenset({b"host", b"expect"})

RawHeaders = list[tuple[bytes, bytes]]


def end_to_end(headers: Iterable[tuple[bytes, bytes]], *, request: bool) -> RawHeaders:
    """The headers to pass on: all but the hop-by-hop ones (and those Connection names)."""
    headers = list(headers)
    named = {
        token.strip().lower() for name, value in headers if name.lower() == b"connection" for token in value.split(b",")
    }
    dropped = HOP_BY_HOP | named | (_REQUEST_ONLY if request else frozenset())
    return [(name, value) for name, value in headers if name.lower() not in dropped]


def client(*, timeout: float, connections: int = 100) -> httpx2.AsyncClient:
    """The pool to the upstream: keep-alive, no redirects followed, no proxy from the environment.

    ``timeout`` bounds each wait (connect, a byte, a write, a free connection);
    the whole exchange has its own deadline in the app.
    """
    limits = httpx2.Limits(max_connections=connections, max_keepalive_connections=connections, keepalive_expiry=30)
    return httpx2.AsyncClient(
        timeout=httpx2.Timeout(timeout, connect=min(5.0, timeout)),
        limits=limits,
        follow_redirects=False,
        trust_env=False,
    )


def describe(exc: BaseException) -> str:
    """A failure of the upstream, in words (never the exception's text: it may hold a URL)."""
    if isinstance(exc, httpx2.ConnectTimeout):
        return "connect timeout"
    if isinstance(exc, httpx2.ReadTimeout):
        return "read timeout (no byte within the timeout)"
    if isinstance(exc, httpx2.WriteTimeout):
        return "write timeout"
    if isinstance(exc, httpx2.PoolTimeout):
        return "no free connection to the upstream within the timeout"
    if isinstance(exc, TimeoutError):
        return "no complete response within the deadline"
    if isinstance(exc, httpx2.ConnectError):
        return "connection refused" if "refused" in str(exc).lower() else "cannot connect"
    if isinstance(exc, httpx2.RemoteProtocolError):
        return "connection closed without a complete response"
    if isinstance(exc, httpx2.ReadError):
        return "connection reset" if "reset" in str(exc).lower() else "read error"
    if isinstance(exc, httpx2.ProtocolError):
        return "not a valid HTTP response"
    return type(exc).__name__


def bad_gateway(reason: str) -> tuple[int, bytes]:
    """The answer to the client when the upstream gave none: 502 in OpenAI's error envelope."""
    envelope = {
        "error": {
            "message": f"openai-conformance proxy: the upstream failed: {reason}",
            "type": "upstream_error",
            "param": None,
            "code": "bad_gateway",
        }
    }
    return 502, json.dumps(envelope).encode()


def too_large(limit: int) -> tuple[int, bytes]:
    envelope = {
        "error": {
            "message": f"openai-conformance proxy: request body over {limit} bytes",
            "type": "invalid_request_error",
            "param": None,
            "code": "request_too_large",
        }
    }
    return 413, json.dumps(envelope).encode()
