"""The runner's pure decisions about what an answer says of the request."""

from __future__ import annotations

import json

import pytest

from openai_conformance.checks._base import Response
from openai_conformance.engine._policy import refused_as_invalid, route_missing
from openai_conformance.strategies import Case, FilePart


def answer(status: int, param: str | None) -> Response:
    body = {"error": {"message": "no", "type": "invalid_request_error", "param": param, "code": None}}
    return Response(status, {"content-type": "application/json"}, json.dumps(body).encode(), 1.0)


BATCH = Case("createBatch", "POST", "/batches", json={"input_file_id": "file-x", "endpoint": "/v1/chat/completions"})
UPLOAD = Case(
    "createFile", "POST", "/files", form={"file": FilePart("a.jsonl", "application/jsonl", b"{"), "purpose": "x"}
)
ANSWER = Case("createAnswer", "POST", "/answers", json={"file": "file-abc", "question": "q"})


@pytest.mark.parametrize(
    ("case", "response", "invalid"),
    [
        (BATCH, answer(400, None), True),  # the request itself
        (BATCH, answer(400, "endpoint"), True),
        (BATCH, answer(400, "input_file_id"), False),  # the file it points to (another purpose)
        (UPLOAD, answer(400, "file"), True),  # the uploaded part is the request's own content
        (ANSWER, answer(400, "file"), False),  # here "file" is the id of someone's file
        (BATCH, answer(404, None), False),
    ],
)
def test_a_refusal_is_the_requests_fault_unless_it_names_what_the_request_points_to(
    case: Case, response: Response, invalid: bool
) -> None:
    assert refused_as_invalid(case, response) is invalid


def test_a_bare_404_is_a_missing_route_and_one_naming_a_parameter_a_missing_object() -> None:
    assert route_missing(BATCH, answer(404, None)) and route_missing(BATCH, answer(405, None))
    assert not route_missing(BATCH, answer(404, "batch_id")) and not route_missing(BATCH, answer(400, None))
