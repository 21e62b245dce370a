"""With a pool of workers, a run that stops early stops sending: every request the target got is counted.

The reference server behind a recorder (recording.py) says what it received; the results say
what the run counted. A pool that kept sending after the route was gone, or after the budget
was spent, would show as requests the results never mention.
"""

from __future__ import annotations

from typing import Any

import pytest
from recording import recording_server

from openai_conformance.engine._runner import Runner, RunOptions
from openai_conformance.engine._session import TargetSession
from openai_conformance.spec import load_spec

KEY = "sk-wasted-0123456789abcdef"


def run(spec_name: str, faults: list[str], max_requests: int | None, **options: Any) -> tuple[list[Any], Any]:
    spec = load_spec(spec_name)
    with recording_server(api_keys=[KEY], spec=spec, faults=faults) as server:
        session = TargetSession(server.base_url, api_key=KEY, max_requests=max_requests)
        results = Runner(spec, session, RunOptions(**options)).run()
        return list(server.recorder.requests), results


@pytest.mark.parametrize("workers", [1, 3])
def test_a_route_found_gone_is_not_sent_to_again(workers: int) -> None:
    got, results = run(
        "openai-1.1.0",
        ["edits_not_implemented"],
        None,
        operations=("createEdit",),
        modes=("positive",),
        max_examples=20,
        workers=workers,
    )
    sent = [path for _, path, _ in got if path == "/v1/edits"]
    [edit] = [o for o in results.operations if o.operation_id == "createEdit"]
    assert edit.status == "not_implemented"
    # Three answers of "no such route" decide it; at most the pool's window was already on the wire.
    assert len(sent) == sum(edit.cases_by_mode.values()) <= 3 + workers


@pytest.mark.parametrize("workers", [1, 3])
def test_a_spent_budget_sends_nothing_more(workers: int) -> None:
    got, results = run(
        "openai-2.3.0-2026-08-21",
        [],
        25,
        operations=("createEmbedding", "createChatCompletion", "createModeration"),
        modes=("positive", "negative"),
        max_examples=20,
        workers=workers,
    )
    assert results.counters.requests == 25
    # Nothing was sent that the results do not count; what the run stored is deleted, and counted too.
    assert results.counters.cleanup > 0
    assert len(got) == results.counters.requests + results.counters.cleanup
