"""The Responses checks against a third-party server: silent where it is right, loud per bug."""

from __future__ import annotations

import contextlib
from typing import Any

import openai
import pytest
import threaded
from responses_server import API_KEY, BUGS, responses_app

from openai_conformance import Choices, prepare_run
from openai_conformance.spec import load_spec

NEWEST = "openai-2.3.0-2026-08-21"
OPERATIONS = ("createResponse", "getResponse", "deleteResponse", "listInputItems")


def serving(bugs: set[str] = set()) -> contextlib.AbstractContextManager[str]:  # noqa: B006 - never mutated
    return threaded.serving(responses_app(bugs=bugs))


def run(base_url: str, **choices: Any) -> dict[str, Any]:
    """A run as the CLI composes it (errata included: the real API's usage: null mid-stream)."""
    defaults: dict[str, Any] = {"operations": OPERATIONS, "modes": ("examples", "stateful"), "max_examples": 3}
    with contextlib.ExitStack() as stack:
        prepared = prepare_run(
            Choices(base_url=base_url, api_key=API_KEY, **{**defaults, **choices}), load_spec(NEWEST), stack
        )
        return prepared.runner().run().to_document()


def found(results: dict[str, Any]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for finding in results["findings"]:
        out.setdefault(finding["check"], []).append(f"{finding['operation_id']}: {finding['message']}")
    return out


def test_the_official_client_creates_streams_retrieves_and_deletes() -> None:
    with serving() as base_url:
        client = openai.OpenAI(base_url=base_url, api_key=API_KEY, max_retries=0)
        made = client.responses.create(model="gpt-4.1", input="Say hello")
        assert made.status == "completed" and made.output_text.startswith("The quick brown fox")
        with client.responses.stream(model="gpt-4.1", input="Say hello") as stream:
            deltas = [e.delta for e in stream if e.type == "response.output_text.delta"]
            final = stream.get_final_response()
        assert "".join(deltas) == final.output_text == made.output_text
        events = list(client.responses.create(model="gpt-4.1", input="Say hello", stream=True))
        assert events[0].type == "response.created" and events[-1].type == "response.completed"
        assert client.responses.retrieve(made.id).id == made.id
        client.responses.delete(made.id)
        with pytest.raises(openai.NotFoundError):
            client.responses.retrieve(made.id)


def test_a_correct_server_has_no_findings_and_each_check_ran() -> None:
    with serving() as base_url:
        results = run(base_url)
    assert found(results) == {} and results["errors"] == []
    ran = {check for op in results["operations"] for check, counts in op["checks"].items() if counts["passed"]}
    assert {
        "response_output_consistent",
        "response_status",
        "response_stream_events",
        "usage_arithmetic",
        "response_roundtrip",
        "stream_format",
    } <= ran, sorted(ran)


@pytest.mark.parametrize("bug", sorted(BUGS))
def test_each_bug_is_found_by_its_check(bug: str) -> None:
    with serving({bug}) as base_url:
        results = run(base_url)
    assert BUGS[bug] in found(results), found(results)
