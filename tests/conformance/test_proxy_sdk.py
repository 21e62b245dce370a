"""The official ``openai`` client through the proxy to the reference server: answers unchanged, faults found.

A wire tap (ASGI, around the reference server) keeps the exact bytes the upstream
received and sent; the client's own hooks keep what it sent and got. Through the
proxy the two must be equal, byte for byte, headers aside from hop-by-hop ones.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx2
import openai
import pytest

from openai_conformance.proxy import ProxyOptions, proxy_in_thread
from openai_conformance.server import serve_in_thread
from openai_conformance.spec import apply_errata, load_spec

KEY = "sk-proxy-sdk-0123456789abcdef"
TRAINING = b'{"prompt": "a", "completion": "b"}\n'
HOP = {b"connection", b"keep-alive", b"transfer-encoding", b"host"}
WIRE = {b"date", b"server"}


@dataclass
class Tapped:
    method: str
    path: str
    request_headers: list[tuple[bytes, bytes]]
    request_body: bytes
    status: int = 0
    response_headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    response_body: bytes = b""


@dataclass
class WireTap:
    """ASGI middleware: every exchange the upstream had, as bytes."""

    app: Any
    seen: list[Tapped] = field(default_factory=list)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        body, more = b"", True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        tapped = Tapped(scope["method"], scope["path"], list(scope["headers"]), body)
        self.seen.append(tapped)
        replayed = False

        async def replay() -> dict[str, Any]:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        async def record(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                tapped.status, tapped.response_headers = message["status"], list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                tapped.response_body += message.get("body", b"")
            await send(message)

        await self.app(scope, replay, record)


@dataclass
class ClientSide:
    """What the SDK's HTTP client sent and got (raw response bytes, before any decoding)."""

    sent: list[httpx2.Request] = field(default_factory=list)
    got: list[tuple[int, list[tuple[bytes, bytes]], bytes]] = field(default_factory=list)


def sdk(base_url: str, side: ClientSide) -> openai.OpenAI:
    def on_response(response: httpx2.Response) -> None:
        raw = response.read()  # what came over the wire for this call, streams included
        side.got.append((response.status_code, list(response.headers.raw), raw))

    http = httpx2.Client(event_hooks={"request": [side.sent.append], "response": [on_response]}, timeout=10)
    return openai.OpenAI(base_url=base_url, api_key=KEY, max_retries=0, http_client=http)


def traffic(client: openai.OpenAI) -> list[Any]:
    """A little of everything the seed spec serves: plain and streamed completions, embeddings, files."""
    answers: list[Any] = [
        client.completions.create(model="text-davinci-003", prompt="Say this", max_tokens=5, n=2),
        [
            c.choices[0].text
            for c in client.completions.create(model="text-davinci-003", prompt="Say this", max_tokens=5, stream=True)
        ],
        client.embeddings.create(model="text-embedding-ada-002", input=["a", "b"], encoding_format="float"),
    ]
    created = client.files.create(file=("train.jsonl", io.BytesIO(TRAINING)), purpose="fine-tune")
    answers += [created, client.files.content(created.id).read(), client.files.delete(created.id)]
    try:
        client.files.retrieve(created.id)
    except openai.NotFoundError as exc:
        answers.append(exc.status_code)
    return answers


@contextmanager
def through_proxy(faults: list[str]) -> Iterator[tuple[Any, WireTap]]:
    taps: list[WireTap] = []

    def wrap(app: Any) -> WireTap:
        taps.append(WireTap(app))
        return taps[0]

    spec, _ = apply_errata(load_spec("openai-1.1.0"))
    with (
        serve_in_thread(spec=spec, faults=faults, wrap=wrap) as server,
        proxy_in_thread(spec, ProxyOptions(server.base_url)) as proxy,
    ):
        yield proxy, taps[0]


def comparable(answer: Any) -> Any:
    """An answer without what the server makes up afresh each time (ids, timestamps)."""
    if hasattr(answer, "model_dump"):
        answer = answer.model_dump()
    if isinstance(answer, dict):
        return {k: comparable(v) for k, v in answer.items() if k not in ("id", "created", "created_at")}
    if isinstance(answer, list):
        return [comparable(v) for v in answer]
    return answer


def assert_unchanged(side: ClientSide, seen: list[Tapped]) -> None:
    assert len(side.sent) == len(side.got) == len(seen) > 0
    for sent, got, tapped in zip(side.sent, side.got, seen, strict=True):
        assert tapped.request_body == sent.read()
        client_headers = [(k.lower(), v) for k, v in sent.headers.raw if k.lower() not in HOP]
        assert [h for h in tapped.request_headers if h[0] not in HOP] == client_headers
        status, headers, body = got
        assert (status, body) == (tapped.status, tapped.response_body)
        # The upstream's uvicorn adds Date and Server on the wire, after the tap: once each, not ours too.
        names = [k.lower() for k, _ in headers]
        assert names.count(b"date") == names.count(b"server") == 1
        assert [(k.lower(), v) for k, v in headers if k.lower() not in HOP | WIRE] == [
            h for h in tapped.response_headers if h[0] not in HOP
        ]


FAULTS = [
    ("ignore_n", "choices_count", "createCompletion"),
    ("stream_no_done", "stream_format", "createCompletion"),
    ("embedding_wrong_dimension", "embedding_count_order_dimension", "createEmbedding"),
    ("undocumented_status", "status_code", "createFile"),
    ("bare_errors", "error_envelope", "retrieveFile"),
]


@pytest.mark.parametrize(("fault", "check", "operation"), FAULTS, ids=[f[0] for f in FAULTS])
def test_a_fault_is_found_and_the_answers_pass_unchanged(fault: str, check: str, operation: str) -> None:
    side = ClientSide()
    with through_proxy([fault]) as (proxy, tap):
        traffic(sdk(proxy.base_url, side))  # the SDK reads a stream without [DONE] to its end too
        results = proxy.results()
    assert_unchanged(side, tap.seen)
    found = {(f.check, f.operation_id) for f in results.findings}
    assert (check, operation) in found
    assert results.exit_code == 1


def test_with_no_fault_no_findings_and_the_same_answers_as_direct() -> None:
    side, direct_side = ClientSide(), ClientSide()
    with through_proxy([]) as (proxy, tap):
        proxied = traffic(sdk(proxy.base_url, side))
        results = proxy.results()
        direct = traffic(sdk(proxy.recorder.session.base_url, direct_side))
    assert_unchanged(side, tap.seen[: len(side.sent)])
    assert comparable(proxied) == comparable(direct)
    assert [f"{f.check} {f.operation_id}: {f.message}" for f in results.findings] == []
    assert results.exit_code == 0 and results.errors == []
    seen = {o.operation_id: o for o in results.operations if o.status != "skipped"}
    assert set(seen) == {
        "createCompletion",
        "createEmbedding",
        "createFile",
        "downloadFile",
        "deleteFile",
        "retrieveFile",
    }
    assert seen["createCompletion"].checks["stream_format"] == {"passed": 1, "failed": 0}
    assert seen["createCompletion"].cases_by_mode == {"proxy": 2}


def test_the_sdks_default_base64_embeddings_meet_the_spec_gap() -> None:
    """The SDK asks for base64 by default; every shipped spec says the vector is an array.

    What the proxy is for: the traffic a team really sends shows what generated cases do not.
    """
    with through_proxy([]) as (proxy, _):
        sdk(proxy.base_url, ClientSide()).embeddings.create(model="text-embedding-ada-002", input="a")
        results = proxy.results()
    assert [(f.check, f.operation_id) for f in results.findings] == [("response_schema", "createEmbedding")]
