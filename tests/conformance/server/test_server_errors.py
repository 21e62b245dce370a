"""OpenAI's failure conventions, and robustness against bad or hostile input."""

from __future__ import annotations

import socket
import threading
import time

import pytest
import requests
from server_helpers import png

from openai_conformance.server._app import ENDPOINTS
from openai_conformance.server._intake import MAX_BODY

ENVELOPE_KEYS = {"message", "type", "param", "code"}


def assert_envelope(response: requests.Response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["error"]
    assert set(error) == ENVELOPE_KEYS
    assert isinstance(error["message"], str) and error["message"]
    return error


def test_every_operation_of_the_seed_has_a_handler(seed_spec) -> None:
    # <=: handlers of later documents (batches, uploads, ...) are registered too
    assert {op.operation_id for op in seed_spec.operations} <= set(ENDPOINTS)


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Basic sk-abc", "Bearer not-a-key"],
    ids=["missing", "empty", "wrong-scheme", "no-sk-prefix"],
)
def test_missing_or_wrong_key_is_401(client_for, reference_server, header) -> None:
    api = client_for(reference_server, key=None)
    headers = {"Authorization": header} if header else {}
    for method, path in [("GET", "/models"), ("POST", "/completions"), ("DELETE", "/files/x")]:
        assert_envelope(api.request(method, path, headers=headers, json={}), 401)


def test_configured_keys_are_the_only_ones_accepted(server_factory, client_for) -> None:
    server = server_factory(api_keys=["sk-right"])
    assert client_for(server, key="sk-right").get("/models").status_code == 200
    error = assert_envelope(client_for(server, key="sk-wrong").get("/models"), 401)
    assert error["code"] == "invalid_api_key" and "sk-wrong" not in error["message"]


def test_unknown_route_and_wrong_method(client) -> None:
    assert_envelope(client.get("/nothing/here"), 404)
    assert_envelope(client.get("/completions"), 405)
    assert_envelope(client.request("PUT", "/models"), 405)


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({}, "model"),
        ({"model": "ada", "max_tokens": -1}, "max_tokens"),
        ({"model": "ada", "n": 0}, "n"),
        ({"model": "ada", "temperature": 3}, "temperature"),
        ({"model": "ada", "stop": ["a", "b", "c", "d", "e"]}, "stop"),
        ({"model": "ada", "prompt": [[]]}, "prompt"),
        ({"model": 12}, "model"),
    ],
    ids=["no-model", "negative-max-tokens", "n-zero", "temperature", "five-stops", "empty-token-array", "model-type"],
)
def test_invalid_bodies_are_400_naming_the_param(client, body, param) -> None:
    assert assert_envelope(client.post("/completions", json=body), 400)["param"] == param


@pytest.mark.parametrize(
    "raw", [b"{bad json", b"", b"\xff\xfe", b"[1, 2"], ids=["malformed", "empty", "not-utf8", "truncated"]
)
def test_malformed_json_is_400(client, raw) -> None:
    response = client.post("/completions", data=raw, headers={"Content-Type": "application/json"})
    assert_envelope(response, 400)


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded"])
def test_json_operations_refuse_other_content_types(client, content_type) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    body = b'{"model": "ada", "prompt": "x"}'
    error = assert_envelope(client.post("/completions", data=body, headers=headers), 400)
    assert "Content-Type" in error["message"]


def test_body_over_the_cap_is_413(client) -> None:
    big = b"x" * (50 * 1024 * 1024)
    response = client.post("/completions", data=big, headers={"Content-Type": "application/json"})
    assert_envelope(response, 413)


def test_chunked_body_over_the_cap_is_413(client) -> None:
    def chunks():  # noqa: ANN202 - no Content-Length: the server must count
        block = b"x" * (1024 * 1024)
        for _ in range(MAX_BODY // len(block) + 2):
            yield block

    response = client.post("/files", data=chunks(), headers={"Content-Type": "application/json"})
    assert_envelope(response, 413)


def test_multipart_problems_are_400(client) -> None:
    # A form that stops in the middle of the file part.
    body = (
        b'--XYZ\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nsearch\r\n'
        b'--XYZ\r\nContent-Disposition: form-data; name="file"; filename="a.jsonl"\r\n'
        b'Content-Type: application/jsonl\r\n\r\n{"a": 1}'
    )
    truncated = client.post("/files", data=body, headers={"Content-Type": "multipart/form-data; boundary=XYZ"})
    assert_envelope(truncated, 400)
    as_json = client.post("/files", json={"purpose": "search", "file": "x"})
    assert_envelope(as_json, 400)
    no_file = client.post("/images/variations", files={"n": (None, "1")})
    assert assert_envelope(no_file, 400)["param"] == "image"
    bad_n = client.post("/images/variations", files={"image": ("i.png", png(), "image/png")}, data={"n": "eleven"})
    assert assert_envelope(bad_n, 400)["param"] == "n"


def test_slow_client_is_answered(reference_server) -> None:
    body = b'{"model": "ada", "prompt": "x", "max_tokens": 1}'
    with socket.create_connection((reference_server.host, reference_server.port), timeout=10) as s:
        s.sendall(
            b"POST /v1/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer sk-x\r\n"
            b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body)
        )
        for byte in body:
            s.sendall(bytes([byte]))
            time.sleep(0.005)
        reply = s.recv(65536)
    assert reply.startswith(b"HTTP/1.1 200")


def test_client_that_hangs_up_mid_body_does_not_hurt_the_server(client, reference_server) -> None:
    with socket.create_connection((reference_server.host, reference_server.port), timeout=10) as s:
        s.sendall(
            b"POST /v1/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer sk-x\r\n"
            b'Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"model"'
        )
    assert client.get("/models").status_code == 200


def test_keeps_serving_under_concurrent_load(reference_server, client_for) -> None:
    failures: list[object] = []

    def work() -> None:
        api = client_for(reference_server)
        for i in range(15):
            response = api.post("/completions", json={"model": "ada", "prompt": f"p{i}", "n": 2})
            if response.status_code != 200:
                failures.append(response.status_code)
        bad = api.post("/completions", data=b"{", headers={"Content-Type": "application/json"})
        if bad.status_code != 400:
            failures.append(bad.status_code)

    threads = [threading.Thread(target=work) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert failures == []
