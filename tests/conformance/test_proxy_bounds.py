"""The proxy against upstreams of our own: streams pass as they come, and a misbehaving
upstream (cut, dead, silent, resetting, oversized) is reported and never hangs the client."""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import json
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx2
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from openai_conformance.proxy import ProxyOptions, proxy_in_thread
from openai_conformance.server import serve_in_thread
from openai_conformance.spec import apply_errata, load_spec

SPEC, _ = apply_errata(load_spec("openai-1.1.0"))
STREAM = {"model": "text-davinci-003", "prompt": "x", "max_tokens": 2, "stream": True}


def event(text: str, finish: str | None = None) -> bytes:
    chunk = {
        "id": "cmpl-1",
        "object": "text_completion",
        "created": 1,
        "model": "text-davinci-003",
        "choices": [{"text": text, "index": 0, "logprobs": None, "finish_reason": finish}],
    }
    return f"data: {json.dumps(chunk)}\n\n".encode()


@contextlib.contextmanager
def upstream(app: Any) -> Iterator[str]:
    """An upstream of our own on the same uvicorn stack (the reference app is not used)."""
    with serve_in_thread(spec=SPEC, wrap=lambda _: app) as server:
        yield server.base_url


class Gate:
    """An upstream that sends one event, waits for the test to say go, then sends the rest."""

    def __init__(self) -> None:
        self.go = threading.Event()
        self.finished = threading.Event()

    async def events(self) -> AsyncIterator[bytes]:
        yield event("a")
        deadline = time.monotonic() + 10
        while not self.go.is_set() and time.monotonic() < deadline:
            await asyncio.sleep(0.005)
        yield event("b", "length")
        yield b"data: [DONE]\n\n"
        self.finished.set()

    def app(self) -> Starlette:
        async def completions(request: Request) -> Response:
            await request.body()
            return StreamingResponse(self.events(), media_type="text/event-stream")

        return Starlette(routes=[Route("/v1/completions", completions, methods=["POST"])])


def test_the_first_event_reaches_the_client_before_the_upstream_has_finished() -> None:
    gate = Gate()
    with (
        upstream(gate.app()) as url,
        proxy_in_thread(SPEC, ProxyOptions(url)) as proxy,
        httpx2.Client(timeout=10) as client,
        client.stream("POST", proxy.base_url + "/completions", json=STREAM) as response,
    ):
        lines = response.iter_lines()
        first = next(line for line in lines if line.startswith("data:"))
        assert json.loads(first[5:])["choices"][0]["text"] == "a"
        assert not gate.finished.is_set()  # the client has event 1; the upstream has not sent event 2
        gate.go.set()
        rest = [line for line in lines if line.startswith("data:")]
        assert rest[-1] == "data: [DONE]" and len(rest) == 2
        results = proxy.results()
    completion = next(o for o in results.operations if o.operation_id == "createCompletion")
    assert completion.checks["stream_format"] == {"passed": 1, "failed": 0}
    assert results.findings == []


def test_a_stream_the_upstream_cuts_is_cut_for_the_client_and_reported() -> None:
    async def cut() -> AsyncIterator[bytes]:
        yield event("a")
        raise ConnectionResetError("upstream gone")  # uvicorn drops the connection mid-body

    async def completions(request: Request) -> Response:
        return StreamingResponse(cut(), media_type="text/event-stream")

    app = Starlette(routes=[Route("/v1/completions", completions, methods=["POST"])])
    with upstream(app) as url, proxy_in_thread(SPEC, ProxyOptions(url)) as proxy, httpx2.Client(timeout=10) as client:
        with (
            pytest.raises(httpx2.RemoteProtocolError),
            client.stream("POST", proxy.base_url + "/completions", json=STREAM) as response,
        ):
            for _ in response.iter_bytes():
                pass
        results = proxy.results()
    assert [(f.check, f.message.split(":")[0]) for f in results.findings] == [("stream_format", "Stream did not end")]


def _refusing_port() -> int:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    return port


@contextlib.contextmanager
def _silent() -> Iterator[int]:
    """A port that completes the TCP handshake (the backlog) and never answers."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    try:
        yield sock.getsockname()[1]
    finally:
        sock.close()


@contextlib.contextmanager
def _resetting() -> Iterator[int]:
    """A port that accepts, reads the request and closes without a word."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    stop = threading.Event()

    def serve() -> None:
        sock.settimeout(0.1)
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except OSError:
                continue
            conn.recv(65536)
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield sock.getsockname()[1]
    finally:
        stop.set()
        thread.join()
        sock.close()


@pytest.mark.parametrize("kind", ["refused", "silent", "reset"])
def test_a_dead_upstream_gets_the_client_a_502_in_the_envelope_promptly(kind: str) -> None:
    port_of = {"refused": contextlib.nullcontext(_refusing_port()), "silent": _silent(), "reset": _resetting()}
    with (
        port_of[kind] as port,
        proxy_in_thread(SPEC, ProxyOptions(f"http://127.0.0.1:{port}/v1", timeout=0.5)) as proxy,
    ):
        started = time.perf_counter()
        answer = httpx2.post(proxy.base_url + "/completions", json={"model": "m", "prompt": "x"}, timeout=10)
        took = time.perf_counter() - started
        results = proxy.results()
    assert answer.status_code == 502 and took < 3
    assert set(answer.json()["error"]) == {"message", "type", "param", "code"}
    assert [f.check for f in results.findings] == ["transport"]
    assert results.verdict.value == "unreachable"


def test_a_request_over_the_cap_is_refused_and_never_forwarded(reference_server: Any) -> None:
    with proxy_in_thread(SPEC, ProxyOptions(reference_server.base_url, max_body=1000)) as proxy:
        answer = httpx2.post(proxy.base_url + "/completions", content=b"x" * 2000, timeout=10)
        results = proxy.results()
    assert answer.status_code == 413 and answer.json()["error"]["code"] == "request_too_large"
    assert results.counters.requests == 0 and any("413" in e for e in results.errors)


def test_a_decompression_bomb_costs_the_copy_not_the_clients_answer() -> None:
    bomb = gzip.compress(b"0" * 2_000_000)

    async def models(request: Request) -> Response:
        return Response(bomb, media_type="application/json", headers={"content-encoding": "gzip"})

    app = Starlette(routes=[Route("/v1/models", models)])
    with upstream(app) as url, proxy_in_thread(SPEC, ProxyOptions(url, max_body=100_000)) as proxy:
        with httpx2.Client(timeout=10) as client, client.stream("GET", proxy.base_url + "/models") as response:
            raw = b"".join(response.iter_raw())
        results = proxy.results()
    assert raw == bomb  # passed through as it came, compressed
    assert [(f.check, f.message.split(":")[0]) for f in results.findings] == [("transport", "Response not checked")]


def test_a_client_that_hangs_up_mid_stream_ends_the_exchange_unchecked() -> None:
    gate = Gate()
    with upstream(gate.app()) as url, proxy_in_thread(SPEC, ProxyOptions(url)) as proxy:
        with (
            httpx2.Client(timeout=10) as client,
            client.stream("POST", proxy.base_url + "/completions", json=STREAM) as response,
        ):
            next(response.iter_bytes())
        gate.go.set()  # the upstream would go on; the client is gone
        results = proxy.results()
    assert results.findings == [] and results.counters.requests == 0
    assert any("hung up" in e for e in results.errors)


def test_stopping_mid_stream_takes_the_grace_period_and_checks_nothing_half_done() -> None:
    gate = Gate()  # never opened: the upstream holds its second event back
    failures: list[BaseException] = []

    def read(base_url: str) -> None:
        try:
            with (
                httpx2.Client(timeout=30) as client,
                client.stream("POST", base_url + "/completions", json=STREAM) as response,
            ):
                for _ in response.iter_bytes():
                    pass
        except httpx2.HTTPError as exc:
            failures.append(exc)

    with upstream(gate.app()) as url:
        with proxy_in_thread(SPEC, ProxyOptions(url), grace=0.5) as proxy:
            reader = threading.Thread(target=read, args=(proxy.base_url,))
            reader.start()
            deadline = time.monotonic() + 5
            while not proxy.checker.in_flight and time.monotonic() < deadline:
                time.sleep(0.01)
            started = time.perf_counter()
        took = time.perf_counter() - started
        gate.go.set()
        reader.join(10)
    results = proxy.recorder.result()
    assert took < 5 and failures  # the client's stream is cut, not left hanging
    assert results.findings == [] and any("proxy stopped" in e for e in results.errors)


def test_a_path_of_no_operation_is_forwarded_and_counted_not_checked(reference_server: Any) -> None:
    with proxy_in_thread(SPEC, ProxyOptions(reference_server.base_url)) as proxy:
        answer = httpx2.get(proxy.base_url + "/no/such/thing", timeout=10)
        results = proxy.results()
    assert answer.status_code == 404  # the upstream's answer, passed on
    assert results.findings == [] and results.counters.requests == 0
    assert results.errors == [
        "1 requests to GET /v1/no/such/thing match no operation of the spec (forwarded, not checked)"
    ]
