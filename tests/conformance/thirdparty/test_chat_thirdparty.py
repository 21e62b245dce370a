"""The checks against a third-party-like chat server of our own (tests/conformance/thirdparty/).

Silent where that server is right, the official client accepts all it answers, and each of its
bug switches is found by the right check.
"""

from __future__ import annotations

import base64
import json
import struct
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import chat_server
import openai
import pytest
from checking import check
from stdlib_server import KEY, SPEC, serve

from openai_conformance.engine._session import TargetSession
from openai_conformance.spec import Spec, apply_errata, load_spec
from openai_conformance.strategies import Case

CHAT = {"model": "tp-chat-small", "messages": [{"role": "user", "content": "Say this is a test"}]}


@pytest.fixture(scope="module")
def spec() -> Spec:
    return apply_errata(load_spec(SPEC))[0]


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with serve([chat_server.routes]) as url:
        yield url


def test_the_official_client_accepts_every_answer(base_url: str) -> None:
    client = openai.OpenAI(base_url=base_url, api_key=KEY, max_retries=0)
    chat = client.chat.completions.create(**CHAT, n=2, max_completion_tokens=4)
    assert [c.index for c in chat.choices] == [0, 1] and chat.choices[0].finish_reason == "length"
    assert chat.system_fingerprint == "fp_tp01" and chat.service_tier == "default"
    chunks = list(client.chat.completions.create(**CHAT, stream=True, stream_options={"include_usage": True}))
    assert chunks[-1].choices == [] and chunks[-1].usage is not None
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text.strip() == chat_server.ANSWER
    floats = client.embeddings.create(model="tp-embed", input=["a", "b"], dimensions=4, encoding_format="float")
    assert [len(d.embedding) for d in floats.data] == [4, 4]
    default = client.embeddings.create(model="tp-embed", input=["a", "b"], dimensions=4)  # the SDK asks base64
    assert [d.embedding for d in default.data] == [d.embedding for d in floats.data]
    assert {m.id for m in client.models.list()} == set(chat_server.MODELS)
    assert client.models.retrieve("tp-embed").owned_by == "thirdparty"


def run(base_url: str, report_dir: Path, *extra: str) -> set[str]:
    """The checks a `run` of the four operations finds failing, read from its JSON report."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "openai_conformance",
            "run",
            "--spec",
            SPEC,
            "--base-url",
            base_url,
            "--api-key",
            KEY,
            "--operations",
            "createChatCompletion,createEmbedding,listModels,retrieveModel",
            "--report-dir",
            str(report_dir),
            "--formats",
            "json",
            "--quiet",
            *extra,
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(next(report_dir.glob("*.json")).read_text())
    assert not report["errors"], report["errors"]
    return {f["check"] for f in report["findings"]} | ({"<exit>"} if done.returncode not in (0, 1) else set())


def test_a_run_finds_nothing(base_url: str, tmp_path: Path) -> None:
    assert run(base_url, tmp_path, "--max-examples", "10") == set()


@pytest.mark.parametrize("bug", sorted(chat_server.CHECK_OF_BUG))
def test_each_bug_is_found_by_its_check_only(bug: str, tmp_path: Path) -> None:
    """The examples (every x-oaiMeta example and its variants) and a few generated cases meet each bug."""
    with serve([chat_server.routes], bugs=[bug]) as url:
        found = run(url, tmp_path, "--modes", "examples,positive", "--max-examples", "5")
    assert found == set(chat_server.CHECK_OF_BUG[bug].split(","))


def test_stream_format_is_silent_on_a_right_chat_stream(spec: Spec, base_url: str) -> None:
    body = {**CHAT, "n": 2, "stream": True, "stream_options": {"include_usage": True}}
    assert check(spec, base_url, "stream_format", "createChatCompletion", "/chat/completions", body) == []


def test_response_schema_takes_a_base64_embedding(spec: Spec, base_url: str) -> None:
    body = {"model": "tp-embed", "input": "x", "encoding_format": "base64"}
    assert check(spec, base_url, "response_schema", "createEmbedding", "/embeddings", body) == []
    vector = base64.b64decode(json.loads(_raw(base_url, "/embeddings", body))["data"][0]["embedding"])
    assert len(struct.unpack(f"<{len(vector) // 4}f", vector)) == 8


def _raw(base_url: str, path: str, body: dict[str, Any]) -> bytes:
    session = TargetSession(base_url, api_key=KEY)
    return session.send(Case("x", "POST", path, media_type="application/json", json=body))[1].content


@pytest.mark.parametrize(
    ("bug", "title"),
    [
        ("stream_no_done", "Stream ended without data: [DONE]"),
        ("stream_bad_chunk", "chat.completion.chunk"),
        ("stream_unterminated", "Stream ended inside an event"),
    ],
)
def test_each_stream_bug_is_found_by_stream_format(spec: Spec, bug: str, title: str) -> None:
    with serve([chat_server.routes], bugs=[bug]) as url:
        failures = check(
            spec, url, "stream_format", "createChatCompletion", "/chat/completions", {**CHAT, "stream": True}
        )
    assert failures and any(title in f.message or title in (f.pointer or "") for f in failures), failures
