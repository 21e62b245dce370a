"""``_compare.differences``: what matters between a target's answer and the reference's, and what not.

Table-driven: each row two answers to one case (and the checks' verdicts on each) and the
pointers and expectations of the failures it must give; an empty list where nothing matters.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from openai_conformance.checks._base import Response
from openai_conformance.checks._sse import SSEEvent
from openai_conformance.engine._compare import differences, kind

COMPLETION = {
    "id": "cmpl-1",
    "object": "text_completion",
    "created": 1,
    "model": "m",
    "choices": [{"index": 0, "text": "hello", "finish_reason": "stop", "logprobs": None}],
    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
}
LISTING = {"object": "list", "data": [{"id": "file-1", "object": "file", "bytes": 3, "purpose": "fine-tune"}]}


def answer(body: Any, status: int = 200) -> Response:
    return Response(status, {"content-type": "application/json"}, json.dumps(body).encode(), 1.0)


def stream(*payloads: Any, names: tuple[str, ...] = ()) -> Response:
    data = [p if isinstance(p, str) else json.dumps(p) for p in payloads]
    sse = [SSEEvent(names[i] if names else "message", d) for i, d in enumerate(data)]
    return Response(200, {"content-type": "text/event-stream"}, b"", 1.0, events=data, sse=sse)


def without(body: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k != key}


ERROR = {"error": {"message": "bad", "type": "invalid_request_error", "param": None, "code": None}}
CHUNK = {"id": "c", "object": "chat.completion.chunk", "choices": [{"index": 0, "delta": {"content": "a"}}]}

# id: (target, reference, target verdicts, reference verdicts, [(pointer, expected)] of the failures)
ROWS: dict[str, tuple[Response, Response, dict[str, bool], dict[str, bool], list[tuple[str, str]]]] = {
    "identical": (answer(COMPLETION), answer(COMPLETION), {}, {}, []),
    "ids, timestamps, text and token counts differ": (
        answer(
            {
                **COMPLETION,
                "id": "cmpl-2",
                "created": 99,
                "usage": {"prompt_tokens": 7, "completion_tokens": 3, "total_tokens": 10},
                "choices": [{**COMPLETION["choices"][0], "text": "something else"}],
            }
        ),
        answer(COMPLETION),
        {},
        {},
        [],
    ),
    "order of keys": (answer(dict(reversed(list(COMPLETION.items())))), answer(COMPLETION), {}, {}, []),
    "null where a value is: the key is there": (answer(COMPLETION | {"usage": None}), answer(COMPLETION), {}, {}, []),
    "null dropped": (
        answer(without(COMPLETION, "usage")),
        answer(COMPLETION | {"usage": None}),
        {},
        {},
        [("/usage", "usage present, as on the reference")],
    ),
    "usage dropped": (
        answer(without(COMPLETION, "usage")),
        answer(COMPLETION),
        {},
        {},
        [("/usage", "usage present, as on the reference")],
    ),
    "a key of its own": (
        answer({**COMPLETION, "x_gateway": 1}),
        answer(COMPLETION),
        {},
        {},
        [("/x_gateway", "x_gateway absent, as on the reference")],
    ),
    "a key of data's first item dropped": (
        answer({**LISTING, "data": [without(LISTING["data"][0], "purpose")]}),
        answer(LISTING),
        {},
        {},
        [("/data/0/purpose", "purpose present, as on the reference")],
    ),
    "an empty list against a full one: no item to compare": (
        answer({**LISTING, "data": []}),
        answer(LISTING),
        {},
        {},
        [],
    ),
    "4xx against 2xx: one failure, no key noise": (
        answer(ERROR, 400),
        answer(COMPLETION),
        {},
        {},
        [("", "success, as the reference")],
    ),
    "4xx against 5xx": (answer(ERROR, 400), answer(ERROR, 500), {}, {}, [("", "server error, as the reference")]),
    "400 against 422: the same class": (answer(ERROR, 400), answer(ERROR, 422), {}, {}, []),
    "an error envelope under 200": (
        answer(ERROR, 200),
        answer(COMPLETION),
        {},
        {},
        [("", "success, as the reference")],
    ),
    "a check failing here only": (
        answer(COMPLETION),
        answer(COMPLETION),
        {"choices_count": False},
        {"choices_count": True},
        [("", "choices_count passes, as on the reference")],
    ),
    "a check failing on both: not the target's doing": (
        answer(COMPLETION),
        answer(COMPLETION),
        {"choices_count": False},
        {"choices_count": False},
        [],
    ),
    "a check failing there only": (
        answer(COMPLETION),
        answer(COMPLETION),
        {"choices_count": True},
        {"choices_count": False},
        [],
    ),
    "a check that did not apply there": (answer(COMPLETION), answer(COMPLETION), {"choices_count": False}, {}, []),
    "schema valid here only": (
        answer(COMPLETION),
        answer(COMPLETION),
        {"response_schema": True},
        {"response_schema": False},
        [("", "response_schema fails, as on the reference")],
    ),
    "schema valid there only": (
        answer(COMPLETION),
        answer(COMPLETION),
        {"response_schema": False},
        {"response_schema": True},
        [("", "response_schema passes, as on the reference")],
    ),
    "streams alike, text apart": (
        stream(CHUNK, "[DONE]"),
        stream({**CHUNK, "id": "d", "choices": [{"index": 0, "delta": {"content": "zz"}}]}, "[DONE]"),
        {},
        {},
        [],
    ),
    "a stream without its usage chunk": (
        stream(CHUNK, "[DONE]"),
        stream(CHUNK, {**CHUNK, "choices": [], "usage": {"total_tokens": 2}}, "[DONE]"),
        {},
        {},
        [("/usage", "usage present, as on the reference")],
    ),
    "a stream with an event type missing": (
        stream({"type": "response.created"}, {"type": "response.completed"}),
        stream({"type": "response.created"}, {"type": "response.output_text.delta"}, {"type": "response.completed"}),
        {},
        {},
        [("", "events of type response.output_text.delta, as on the reference")],
    ),
    "named events: their names are the types": (
        stream({"a": 1}, names=("ping",)),
        stream({"a": 1}, names=("pong",)),
        {},
        {},
        [("", "events of type pong, as on the reference"), ("", "no events of type ping, as on the reference")],
    ),
    "a stream against a body": (
        stream(CHUNK, "[DONE]"),
        answer(COMPLETION),
        {},
        {},
        [("", "a single body, as the reference")],
    ),
    "JSON against bytes": (
        answer(COMPLETION),
        Response(200, {"content-type": "application/octet-stream"}, b"\x00\x01", 1.0),
        {},
        {},
        [("", "no JSON object, as the reference")],
    ),
    "bytes against bytes": (Response(200, {}, b"\x00", 1.0), Response(200, {}, b"\x01\x02", 1.0), {}, {}, []),
}


@pytest.mark.parametrize("row", list(ROWS), ids=list(ROWS))
def test_differences(row: str) -> None:
    target, reference, ours, theirs, expected = ROWS[row]
    found = differences(target, reference, ours, theirs)
    assert [(f.pointer, f.expected) for f in found] == expected
    assert all(f.message and f.got for f in found)


def test_a_dropped_key_is_named_in_the_message() -> None:
    [failure] = differences(answer(without(COMPLETION, "usage")), answer(COMPLETION), {}, {})
    assert failure.message == "No 'usage' in the answer; the reference's has it" and failure.got == "usage absent"


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (200, COMPLETION, "success"),
        (404, ERROR, "client error"),
        (503, ERROR, "server error"),
        (302, None, "redirect"),
        (200, ERROR, "error envelope under a success status"),
        (200, {"error": None, "id": "resp_1"}, "success"),  # a Responses API object: error is null
    ],
    ids=["200", "404", "503", "302", "200 with an envelope", "200 with error null"],
)
def test_kind(status: int, body: Any, expected: str) -> None:
    assert kind(answer(body, status)) == expected


# -- which cases go to the reference, and when its refusal says nothing (_reference_side) -----------
@pytest.fixture(scope="module")
def side() -> Any:
    from openai_conformance.engine._reference_side import ReferenceSide
    from openai_conformance.engine._session import TargetSession
    from openai_conformance.spec import load_spec

    spec = load_spec("openai-1.1.0")
    return spec, ReferenceSide(TargetSession("http://127.0.0.1:9/v1"), spec)  # never sent to here


@pytest.mark.parametrize(
    ("operation_id", "mode", "file_id", "sent"),
    [
        ("retrieveFile", "positive", "file-other", True),
        ("retrieveFile", "negative:type", "file-other", True),
        ("retrieveFile", "example", "file-other", True),
        ("retrieveFile", "positive", "file-mine", True),  # the reference may hold it (a gateway's upstream)
        ("deleteFile", "positive", "file-mine", False),  # the target's delete already changed it
        ("deleteFile", "example", "file-other", False),  # the run acts on the target's objects, never the reference's
        ("cancelFineTune", "positive", "ft-mine", False),
        ("retrieveFile", "stateful:files", "file-other", False),
        ("retrieveFile", "shrink", "file-other", False),
        ("listModels", "setup", "", False),
    ],
    ids=lambda v: str(v),
)
def test_which_cases_go_to_the_reference(side: Any, operation_id: str, mode: str, file_id: str, sent: bool) -> None:
    """Deletes and cancels never: the run may act on the target's objects, not on the reference's."""
    from openai_conformance.strategies import Case

    spec, reference = side
    op = spec.operation(operation_id)
    case = Case(
        operation_id,
        op.method,
        op.path,
        mode=mode,
        path_parameters={name: file_id for name in re.findall(r"\{(\w+)\}", op.path)},
    )
    assert reference.compares(op, case, frozenset({"cancelFineTune"})) is sent


def test_a_refusal_of_the_targets_own_object_is_no_verdict(side: Any) -> None:
    from openai_conformance.strategies import Case

    _, reference = side
    case = Case("retrieveFile", "GET", "/files/file-mine", path_parameters={"file_id": "file-mine"})
    example = Case("retrieveFile", "GET", "/files/file-mine", mode="example")  # its path comes filled in
    found, missing = answer(LISTING["data"][0]), answer(ERROR, 404)
    assert reference.judge(case, found, missing, {}, {}, {"file-mine"}) is None
    assert reference.judge(example, found, missing, {}, {}, {"file-mine"}) is None
    named = Case("createFineTune", "POST", "/fine-tunes", json={"training_file": "file-mine"})
    assert reference.judge(named, found, answer(ERROR, 400), {}, {}, {"file-mine"}) is None
    [failure] = reference.judge(case, found, missing, {}, {}, set())  # somebody else's: the reference differs
    assert failure.reference["status"] == 404 and failure.expected == "client error, as the reference"
    assert reference.judge(case, found, found, {}, {}, {"file-mine"}) == []
