"""Realistic cases: the reference server (a real HTTP server) accepts positive cases that
need no stored ids (files, images, JSONL uploads included) and rejects negative ones."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from openai_conformance.server import RunningServer
from openai_conformance.spec import Spec
from openai_conformance.strategies import Case, FilePart, draw_cases, from_operation

NO_STORED_IDS = (
    "createCompletion",
    "createEdit",
    "createImage",
    "createImageEdit",
    "createImageVariation",
    "createEmbedding",
    "createFile",
    "createModeration",
)


def send(server: RunningServer, case: Case) -> requests.Response:
    kwargs: dict[str, Any] = {"headers": {"Authorization": "Bearer sk-test", **case.headers}}
    if case.form is not None:
        kwargs["files"] = [
            (k, (v.filename, v.content, v.content_type) if isinstance(v, FilePart) else (None, v))
            for k, v in case.form.items()
        ]
    elif case.raw_body is not None:
        kwargs["data"] = case.raw_body
        kwargs["headers"]["Content-Type"] = case.media_type
    elif case.json is not None:
        kwargs["json"] = case.json
    url = server.base_url + case.path
    return requests.request(case.method, url, params=case.query, timeout=10, **kwargs)


@pytest.mark.parametrize("operation_id", NO_STORED_IDS)
def test_positive_cases_are_accepted(seed_spec: Spec, reference_server: RunningServer, operation_id: str) -> None:
    op = seed_spec.operation(operation_id)
    for case in draw_cases(from_operation(seed_spec, op), 15, seed=1):
        response = send(reference_server, case)
        assert response.status_code == 200, (case, response.text)


@pytest.mark.parametrize("operation_id", ["createImageEdit", "createFile", "createCompletion"])
def test_negative_schema_cases_are_rejected(
    seed_spec: Spec, reference_server: RunningServer, operation_id: str
) -> None:
    op = seed_spec.operation(operation_id)
    for case in draw_cases(from_operation(seed_spec, op, mode="negative"), 15, seed=1):
        if case.rule.name != "content_type":  # lenient servers may read text/plain as JSON
            assert 400 <= send(reference_server, case).status_code < 500, case
