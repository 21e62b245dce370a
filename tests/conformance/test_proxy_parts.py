"""The proxy's parts alone: which operation a request is, the request as a ``Case``, the bounded copy."""

from __future__ import annotations

import gzip
import json

import pytest

from openai_conformance.proxy._exchange import Exchange, OperationIndex, case_of, form_fields, too_deep
from openai_conformance.proxy._tee import Tee, data_lines
from openai_conformance.proxy._upstream import end_to_end
from openai_conformance.spec import load_spec
from openai_conformance.strategies import FilePart

SPEC = load_spec("openai-1.1.0")
INDEX = OperationIndex(SPEC)


@pytest.mark.parametrize(
    ("method", "path", "expected"),
    [
        ("POST", "/v1/completions", ("createCompletion", {})),
        ("GET", "/v1/files/file-1", ("retrieveFile", {"file_id": "file-1"})),
        ("GET", "/v1/files/file-1/content", ("downloadFile", {"file_id": "file-1"})),
        ("POST", "/v1/fine-tunes/ft-9/cancel", ("cancelFineTune", {"fine_tune_id": "ft-9"})),
        ("GET", "/v1/models/ft%3Adavinci", ("retrieveModel", {"model": "ft:davinci"})),
        ("GET", "/v1/completions", None),  # no such method there
        ("POST", "/completions", None),  # outside the spec's base path
        ("GET", "/v1/files/a/b/c", None),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_a_request_is_matched_to_its_operation(method: str, path: str, expected: tuple | None) -> None:
    found = INDEX.match(method, path)
    assert (found and (found[0].operation_id, found[2])) == expected


def _exchange(body: bytes, content_type: str, query: str = "") -> Exchange:
    return Exchange("POST", "/v1/files", query, {"content-type": content_type}, body, "http://up/v1/files")


def test_a_multipart_request_becomes_the_form_a_run_would_send() -> None:
    boundary = "XyZ"
    parts = [
        ('name="purpose"', b"fine-tune"),
        ('name="file"; filename="t.jsonl"\r\nContent-Type: application/jsonl', b'{"a": 1}\n'),
        ('name="tag"', b"x"),
        ('name="tag"', b"y"),
        ('name="extra"; filename="e.bin"', b"\x00"),  # no Content-Type of its own: none replayed
    ]
    body = (
        b"".join(
            f"--{boundary}\r\nContent-Disposition: form-data; {head}\r\n\r\n".encode() + value + b"\r\n"
            for head, value in parts
        )
        + f"--{boundary}--\r\n".encode()
    )
    fields = form_fields(f"multipart/form-data; boundary={boundary}", body)
    assert fields == {
        "purpose": "fine-tune",
        "file": FilePart("t.jsonl", "application/jsonl", b'{"a": 1}\n'),
        "tag": ["x", "y"],
        "extra": FilePart("e.bin", None, b"\x00"),
    }


def test_a_json_request_becomes_a_case_that_knows_it_streams() -> None:
    op = SPEC.operation("createCompletion")
    case = case_of(
        _exchange(json.dumps({"model": "m", "stream": True}).encode(), "application/json"), op, "/completions", {}
    )
    assert (case.mode, case.json, case.streams) == ("proxy", {"model": "m", "stream": True}, True)
    broken = case_of(_exchange(b"{not json", "application/json", "a=1&a=2"), op, "/completions", {})
    assert (broken.json, broken.raw_body, broken.query) == (None, b"{not json", {"a": ["1", "2"]})


def test_nesting_is_measured_without_recursion() -> None:
    deep: list = []
    for _ in range(5000):
        deep = [deep]
    assert too_deep(deep) and not too_deep({"a": [[{"b": 1}]]})


def test_events_are_read_across_chunk_boundaries() -> None:
    events, rest = data_lines(b"", b'data: {"a":1}\n\nda')
    assert (events, rest) == (['{"a":1}'], b"da")
    events, rest = data_lines(rest, b"ta: [DONE]\r\n")
    assert (events, rest) == (["[DONE]"], b"")


def test_the_copy_is_decompressed_and_capped() -> None:
    tee = Tee(content_encoding="gzip", event_stream=False, max_body=100)
    packed = gzip.compress(b"x" * 50)
    for i in range(0, len(packed), 7):
        tee.feed(packed[i : i + 7])
    assert tee.content == b"x" * 50 and not tee.over_cap
    bomb = Tee(content_encoding="gzip", event_stream=False, max_body=100)
    bomb.feed(gzip.compress(b"x" * 10_000))
    assert bomb.over_cap and len(bomb.content) == 100
    unknown = Tee(content_encoding="br", event_stream=False, max_body=100)
    unknown.feed(b"anything")
    assert unknown.undecodable == "br" and unknown.content == b""


def test_hop_by_hop_headers_stay_on_their_hop() -> None:
    headers = [
        (b"Host", b"proxy"),
        (b"Connection", b"keep-alive, X-Hop"),
        (b"X-Hop", b"1"),
        (b"Authorization", b"Bearer k"),
        (b"Transfer-Encoding", b"chunked"),
        (b"Content-Length", b"3"),
    ]
    assert end_to_end(headers, request=True) == [(b"Authorization", b"Bearer k"), (b"Content-Length", b"3")]
    assert (b"Host", b"proxy") in end_to_end(headers, request=False)
