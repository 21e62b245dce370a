"""response_stream_events on raw ``data:`` payloads and on named SSE events alike."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

from openai_conformance.checks._base import CheckContext, Response
from openai_conformance.checks._responses_stream import response_stream_events_conformance
from openai_conformance.spec import load_spec
from openai_conformance.strategies import Case

SPEC = load_spec("openai-2.3.0-2026-08-21")


def _stream(text: list[str], done: str | None = None) -> list[dict[str, Any]]:
    ids = {"item_id": "msg_1", "output_index": 0, "content_index": 0}
    final = {
        "object": "response",
        "status": "completed",
        "output": [{"type": "message", "content": [{"type": "output_text", "text": "".join(text)}]}],
    }
    events = [{"type": "response.created", "response": {**final, "status": "in_progress", "output": []}}]
    events += [{"type": "response.output_text.delta", **ids, "delta": d} for d in text]
    events += [
        {"type": "response.output_text.done", **ids, "text": "".join(text) if done is None else done},
        {"type": "response.completed", "response": final},
    ]
    return [{**e, "sequence_number": i} for i, e in enumerate(events)]


def _failures(events: list[Any]) -> list[str]:
    op = SPEC.operation("createResponse")
    case = Case("createResponse", "POST", "/responses", json={"model": "m", "input": "hi", "stream": True})
    response = Response(200, {"content-type": "text/event-stream"}, b"", 1.0, events=events)
    return [f.message for f in response_stream_events_conformance(CheckContext(SPEC, op, case, response))]


def _named(events: list[dict[str, Any]]) -> list[SimpleNamespace]:
    """As a WHATWG parser gives them: the name in ``event``, the data without ``type``."""
    return [
        SimpleNamespace(event=e["type"], data=json.dumps({k: v for k, v in e.items() if k != "type"}), id=None)
        for e in events
    ]


def test_a_right_stream_passes_in_either_shape() -> None:
    events = _stream(["Hel", "lo"])
    assert _failures([json.dumps(e) for e in events]) == []
    assert _failures(_named(events)) == []


def test_each_broken_rule_is_named() -> None:
    events = _stream(["Hel", "lo"])
    assert _failures(_named(events[1:]))[0] == "Stream does not start with response.created"
    assert _failures(_named(events[:-1])) == ["0 terminal events"]
    again = {**events[-1], "sequence_number": len(events)}
    assert _failures(_named([*events, again])) == ["2 terminal events"]
    gap = [*events[:2], {**events[2], "sequence_number": 1}, *events[3:]]
    assert _failures(_named(gap)) == ["sequence_number 1 after 1"]
    assert _failures(_named(_stream(["Hel", "lo"], done="Help"))) == [
        "output_text deltas do not assemble into output_text.done"
    ]
