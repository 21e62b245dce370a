"""Property tests: any body valid against the spec's request schema gets a 200 whose
body is valid against the response schema (budget knobs capped, models from the
catalogue), or for rules the schema cannot say, a 400 in the envelope; never a 5xx."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from openai_conformance.spec import load_spec

SPEC = load_spec("openai-1.1.0")

# operation -> (path, what each body gets overridden with, statuses allowed besides 200)
CASES: dict[str, tuple[str, dict[str, Any], set[int]]] = {
    "createCompletion": ("/completions", {"model": "ada"}, set()),
    "createEdit": ("/edits", {"model": "text-davinci-edit-001"}, set()),
    "createEmbedding": ("/embeddings", {"model": "text-embedding-ada-002"}, set()),
    "createModeration": ("/moderations", {"model": "text-moderation-latest"}, set()),
    "createImage": ("/images/generations", {"size": "256x256"}, set()),
    "createSearch": ("/engines/davinci/search", {"file": None}, {400}),
    # The seed leaves createAnswer's max_tokens unbounded below; the API answers 400 to < 0.
    "createAnswer": ("/answers", {"model": "curie", "search_model": "ada", "file": None}, {400}),
    "createClassification": ("/classifications", {"model": "curie", "search_model": "ada", "file": None}, {400}),
}
CAPS = {"max_tokens": 24, "n": 3, "best_of": 4, "max_rerank": 5, "max_examples": 5}


def _request_schema(operation_id: str) -> dict[str, Any]:
    media = SPEC.operation(operation_id).request_body.content["application/json"]
    return SPEC.resolve(SPEC.at(media.pointer))


def _capped(body: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    out = {**body, **{k: v for k, v in overrides.items() if v is not None}}
    for key, value in overrides.items():
        if value is None:
            out.pop(key, None)
    for key, cap in CAPS.items():
        if isinstance(out.get(key), int):
            out[key] = min(out[key], cap)
    return out


@pytest.mark.parametrize("operation_id", sorted(CASES))
def test_valid_bodies_get_valid_answers(operation_id, reference_server, client_for) -> None:
    path, overrides, also = CASES[operation_id]
    client = client_for(reference_server)
    response_pointer = SPEC.operation(operation_id).responses["200"].content["application/json"]

    @settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(
        from_schema(_request_schema(operation_id))
        .filter(lambda b: isinstance(b, dict))
        .map(lambda b: _capped(b, overrides))
    )
    def check(body: dict[str, Any]) -> None:
        response = client.post(path, json=body)
        assert response.status_code in {200} | also, (body, response.text)
        if response.status_code != 200:
            assert set(response.json()["error"]) == {"message", "type", "param", "code"}
        elif response.headers["content-type"].startswith("text/event-stream"):
            frames = response.text.split("\n\n")
            assert frames[-2] == "data: [DONE]"
            for frame in frames[:-2]:
                json.loads(frame[len("data: ") :])
        else:
            errors = list(SPEC.validator(response_pointer.pointer).iter_errors(response.json()))
            assert not errors, (body, [e.message for e in errors][:3])

    check()


@given(st.binary(max_size=300))
@settings(max_examples=40, deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_arbitrary_bytes_never_crash(reference_server, data) -> None:
    import requests

    for path in ("/completions", "/files"):
        response = requests.post(
            reference_server.base_url + path,
            data=data,
            timeout=10,
            headers={"Authorization": "Bearer sk-x", "Content-Type": "application/json"},
        )
        assert 400 <= response.status_code < 500
