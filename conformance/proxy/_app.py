"""The proxy itself: a Starlette app that forwards each request as it is and passes the answer through.

Bytes go to the client as they come from the upstream (a stream is never held
back); a bounded copy goes to the checker thread once the exchange is over, so
checking costs the client nothing.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlsplit

import anyio
import anyio.lowlevel
import httpx2
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..engine._session import MAX_BODY
from ._exchange import Exchange
from ._tee import Tee
from ._upstream import bad_gateway, client, describe, end_to_end, too_large

METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]


@dataclass(frozen=True)
class ProxyOptions:
    """Where the proxy forwards to, and its bounds on the upstream side."""

    upstream: str  # base URL, as ``run --base-url``: https://api.openai.com/v1
    timeout: float = 30.0  # seconds of silence from the upstream (connect: at most 5)
    deadline: float = 300.0  # seconds for a whole exchange, stream included
    max_body: int = MAX_BODY  # request bytes; and response bytes the checks keep, decoded


class Sink(Protocol):
    """Where exchanges go (the checker thread); no call may block the loop.

    Each exchange ``opened`` ends in exactly one ``submit`` (to be checked) or ``skip``.
    """

    def opened(self) -> None: ...

    def submit(self, exchange: Exchange) -> None: ...

    def skip(self, reason: str) -> None: ...


class Forwarder:
    """Maps the client's URL to the upstream's and owns the keep-alive pool (in the server's loop)."""

    def __init__(self, options: ProxyOptions, base_path: str, sink: Sink) -> None:
        self.options = options
        self.base_path = base_path
        self.sink = sink
        upstream = urlsplit(options.upstream.rstrip("/"))
        self.origin = f"{upstream.scheme}://{upstream.netloc}"
        self.prefix = upstream.path  # "" : paths go as they are
        self.http: httpx2.AsyncClient | None = None

    def upstream_url(self, path: str, query: str) -> str:
        """The spec's base path (``/v1``) is replaced by the upstream's own; other paths go as they are."""
        base = self.base_path
        if self.prefix and base and (path == base or path.startswith(base + "/")):
            path = self.prefix + path[len(base) :]
        return self.origin + path + (f"?{query}" if query else "")

    async def handle(self, request: Request) -> Response:
        self.sink.opened()
        try:
            return await self._forward(request)
        except BaseException:  # the client left mid-request, or a bug of ours: the count stays right
            self.sink.skip(f"{request.method} {request.url.path}: ended before an answer, not checked")
            raise

    async def _forward(self, request: Request) -> Response:
        scope = request.scope
        path = scope.get("raw_path", b"").decode("latin-1").split("?", 1)[0] or scope["path"]
        query = scope.get("query_string", b"").decode("latin-1")
        exchange = Exchange(
            request.method, path, query, _joined(request.headers.raw), b"", self.upstream_url(path, query)
        )
        body = await _read_capped(request, self.options.max_body)
        if body is None:
            self.sink.skip(
                f"a request to {request.method} {path} over {self.options.max_body} bytes was refused (413), not forwarded"
            )
            return _envelope(*too_large(self.options.max_body))
        exchange.body = body
        started = time.perf_counter()
        assert self.http is not None  # noqa: S101 - the lifespan opened it
        outgoing = httpx2.Request(
            request.method, exchange.upstream_url, headers=end_to_end(request.headers.raw, request=True), content=body
        )
        try:
            with anyio.fail_after(self.options.deadline):
                answer = await self.http.send(outgoing, stream=True)
        except (httpx2.HTTPError, TimeoutError, OSError) as exc:
            exchange.failure, exchange.elapsed_ms = describe(exc), _ms(started)
            self.sink.submit(exchange)
            return _envelope(*bad_gateway(exchange.failure))
        return Passthrough(self, exchange, answer, started)


class Passthrough(Response):
    """The upstream's answer, sent on chunk by chunk; an answer cut upstream is cut for the client too."""

    def __init__(self, forwarder: Forwarder, exchange: Exchange, answer: httpx2.Response, started: float) -> None:
        self.forwarder, self.exchange, self.answer, self.started = forwarder, exchange, answer, started
        self.status_code = answer.status_code
        self.raw_headers = end_to_end(answer.headers.raw, request=False)
        self.background = None
        media = answer.headers.get("content-type", "").split(";")[0].strip().lower()
        self.tee = Tee(
            content_encoding=answer.headers.get("content-encoding", ""),
            event_stream=media == "text/event-stream",
            max_body=forwarder.options.max_body,
        )
        self._finished = False
        self._unchecked: str | None = None  # why the exchange ended before its answer did

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        try:
            await send({"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers})
            async with anyio.create_task_group() as group:
                group.start_soon(self._watch, receive, group.cancel_scope)
                await self._pump(send)
                group.cancel_scope.cancel()
        except anyio.get_cancelled_exc_class():
            self._unchecked = "the proxy stopped before the end"  # its graceful shutdown ran out
            raise
        finally:
            with anyio.CancelScope(shield=True):
                await self.answer.aclose()  # a client gone also stops the upstream's generation
            self._observed()

    async def _pump(self, send: Any) -> None:
        remaining = self.forwarder.options.deadline - (time.perf_counter() - self.started)
        with anyio.move_on_after(max(0.0, remaining)) as scope:
            try:
                async for chunk in self.answer.aiter_raw():
                    self.tee.feed(chunk)
                    await send({"type": "http.response.body", "body": chunk, "more_body": True})
                    # Let the watcher see a client that hung up: chunks already read would
                    # otherwise all be written to a closed socket before the loop looks.
                    await anyio.lowlevel.checkpoint()
            except httpx2.HTTPError as exc:
                self.tee.cut(f"the upstream cut the body: {describe(exc)}")
                return  # not completed: the server closes the client's connection, as the upstream did
        if scope.cancelled_caught:
            self.tee.cut(f"not complete within the {self.forwarder.options.deadline:g} s deadline")
            return
        self._finished = True
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    async def _watch(self, receive: Any, scope: anyio.CancelScope) -> None:
        """A client that hangs up mid-stream ends the exchange (and the upstream's work)."""
        while (await receive())["type"] != "http.disconnect":
            pass
        if not self._finished:
            self._unchecked = "the client hung up before the end"
            scope.cancel()

    def _observed(self) -> None:
        tee, exchange = self.tee, self.exchange
        tee.finish()
        if self._unchecked:
            self.forwarder.sink.skip(f"{self._unchecked} of {exchange.method} {exchange.path}: not checked")
            return
        exchange.status = self.status_code
        exchange.response_headers = _joined(self.answer.headers.raw)
        exchange.content, exchange.events = tee.content, tee.events
        exchange.elapsed_ms = _ms(self.started)
        if tee.undecodable:
            exchange.over_cap = f"Content-Encoding {tee.undecodable} is not one the proxy decodes"
        elif tee.events is not None:
            exchange.stream_error = tee.error  # stream_format says what went wrong, as in a run
        elif tee.over_cap:
            exchange.over_cap = tee.error
        elif tee.error:
            exchange.status, exchange.failure = None, tee.error  # cut: no usable response
        self.forwarder.sink.submit(exchange)


def create_proxy_app(forwarder: Forwarder) -> Starlette:
    """The ASGI app: every method and path goes to ``forwarder.handle``."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        forwarder.http = client(timeout=forwarder.options.timeout)
        try:
            yield
        finally:
            await forwarder.http.aclose()

    routes = [Route("/{path:path}", forwarder.handle, methods=METHODS)]
    return Starlette(routes=routes, lifespan=lifespan)


async def _read_capped(request: Request, limit: int) -> bytes | None:
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _joined(raw: Any) -> dict[str, str]:
    """Headers by lower-case name; a repeated header's values joined as RFC 9110 allows."""
    joined: dict[str, str] = {}
    for name, value in raw:
        key, text = name.decode("latin-1").lower(), value.decode("latin-1")
        joined[key] = f"{joined[key]}, {text}" if key in joined else text
    return joined


def _envelope(status: int, body: bytes) -> Response:
    return Response(body, status_code=status, media_type="application/json")


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 3)
