"""Which refusals of a valid request are warnings: the target's rules, not the API's own."""

from __future__ import annotations

import json
from typing import Any

import pytest

from openai_conformance.checks._base import Response
from openai_conformance.engine._refusals import refusal
from openai_conformance.results._tally import fingerprint
from openai_conformance.strategies import Case

CHAT = Case("createChatCompletion", "POST", "/chat/completions", json={"model": "m", "messages": [], "user": "u"})


def answer(status: int, param: Any, code: Any = None, message: str = "not supported here") -> Response:
    body = {"error": {"message": message, "type": "invalid_request_error", "param": param, "code": code}}
    return Response(status, {"content-type": "application/json"}, json.dumps(body).encode(), 1.0)


@pytest.mark.parametrize(
    ("response", "pointer"),
    [
        (answer(400, "user"), "/user"),
        (answer(422, "messages[0].content"), "/messages/0/content"),
        (answer(400, None), ""),  # the request as a whole
    ],
)
def test_a_valid_request_refused_by_the_targets_own_rule_is_a_warning(response: Response, pointer: str) -> None:
    found = refusal(CHAT, response)
    assert found is not None and found.pointer == pointer
    assert found.got.startswith(f"Received: {response.status} not supported here")


@pytest.mark.parametrize(
    ("case", "response"),
    [
        (CHAT, answer(404, "model", "model_not_found", "The model `m` does not exist")),
        (CHAT, answer(400, "messages", "context_length_exceeded")),
        (CHAT, answer(400, "model")),  # which models serve what is the target's choice
        (CHAT, answer(400, "tool_choice")),  # a rule between properties the strategies know
        (CHAT, answer(400, "best_of")),
        (CHAT, answer(400, "temperature", message="Unsupported value: 'temperature' with this model.")),
        (CHAT, answer(400, "training_file_id")),  # an id: what it points to, not the request
        (CHAT, answer(429, None)),
        (Case(**{**CHAT.__dict__, "mode": "example"}), answer(400, "user")),  # examples may break their schema
        (Case(**{**CHAT.__dict__, "mode": "negative:type"}), answer(400, "user")),
    ],
)
def test_the_apis_own_refusals_are_no_warning(case: Case, response: Response) -> None:
    assert refusal(case, response) is None


def test_refusals_of_one_property_are_one_bug_whatever_the_values() -> None:
    one = refusal(CHAT, answer(400, "messages[0].content", message="'a' is too short"))
    two = refusal(CHAT, answer(400, "messages[3].content", message="'bbb' is not allowed"))
    other = refusal(CHAT, answer(400, "user"))
    assert one and two and other
    prints = {fingerprint("valid_accepted", CHAT.operation_id, f) for f in (one, two)}
    assert len(prints) == 1 and fingerprint("valid_accepted", CHAT.operation_id, other) not in prints
