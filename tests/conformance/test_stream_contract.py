"""stream_contract reads each streaming operation's event schema and terminator from the document."""

from __future__ import annotations

import pytest

from openai_conformance.checks import CHECKS, CheckContext
from openai_conformance.checks._base import Response
from openai_conformance.checks._sse import parse_events
from openai_conformance.checks._stream_contract import DONE, stream_contract
from openai_conformance.spec import Spec, apply_errata, load_spec
from openai_conformance.strategies import Case

SPEC = "openai-2.3.0-2026-08-21"


@pytest.fixture(scope="module")
def spec() -> Spec:
    return apply_errata(load_spec(SPEC))[0]


@pytest.mark.parametrize(
    ("operation_id", "schema", "terminator"),
    [
        ("createChatCompletion", "CreateChatCompletionStreamResponse", DONE),  # stream_options: "before data: [DONE]"
        ("createCompletion", "CreateCompletionResponse", DONE),  # "streamed and non-streamed share the shape"
        ("createResponse", "ResponseStreamEvent", None),  # ends on response.completed; the SDK needs no [DONE]
        ("createImage", "ImageGenStreamEvent", None),
        ("createRun", "RunObject", DONE),  # "terminating ... with a data: [DONE] message"
    ],
)
def test_contract_per_operation(spec: Spec, operation_id: str, schema: str, terminator: str | None) -> None:
    contract = stream_contract(spec, spec.operation(operation_id))
    assert contract.terminator == terminator
    assert contract.event_schema is not None
    target = spec.at(contract.event_schema)
    assert target == spec.at(f"/components/schemas/{schema}") or target == {"$ref": f"#/components/schemas/{schema}"}


def test_responses_union_is_chosen_by_type(spec: Spec) -> None:
    contract = stream_contract(spec, spec.operation("createResponse"))
    assert contract.discriminator == "type"
    assert contract.branches["response.completed"] == "/components/schemas/ResponseCompletedEvent"
    assert len(contract.branches) > 50


def _check(spec: Spec, stream: bytes) -> list[str]:
    case = Case("createResponse", "POST", "/responses", media_type="application/json", json={"stream": True})
    events = parse_events(stream)
    response = Response(
        200, {"content-type": "text/event-stream"}, stream, 1.0, events=[e.data for e in events], sse=events
    )
    ctx = CheckContext(spec, spec.operation("createResponse"), case, response)
    return [f.message for f in CHECKS["stream_format"].function(ctx)]


COMPLETED = (
    b'event: response.completed\ndata: {"type":"response.completed","sequence_number":1,"response":'
    b'{"id":"resp_1","object":"response","created_at":1,"status":"completed","model":"m","output":[],'
    b'"parallel_tool_calls":true,"tool_choice":"auto","tools":[],"error":null,"incomplete_details":null,'
    b'"instructions":null,"metadata":{},"temperature":1,"top_p":1}}\n\n'
)


def test_a_responses_stream_needs_no_done(spec: Spec) -> None:
    assert _check(spec, COMPLETED) == []


def test_a_responses_event_named_unlike_its_type_is_found(spec: Spec) -> None:
    renamed = COMPLETED.replace(b"event: response.completed", b"event: response.done")
    assert any("named 'response.done'" in m for m in _check(spec, renamed))


def test_an_undocumented_responses_event_type_is_found(spec: Spec) -> None:
    unknown = b'data: {"type":"response.finished","sequence_number":2}\n\n'
    assert any("undocumented type 'response.finished'" in m for m in _check(spec, COMPLETED + unknown))
