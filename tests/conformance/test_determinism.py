"""Same seed, same target, same requests: a run can be repeated, and so can its findings."""

from __future__ import annotations

import re
from typing import Any

import pytest
from recording import recording_server

from openai_conformance.engine._runner import Runner, RunOptions
from openai_conformance.engine._session import TargetSession
from openai_conformance.spec import load_spec

KEY = "sk-determinism-0123456789abcdef"
# The server's ids come from a counter: with two workers, which create got which number may
# differ from run to run, so ids are compared as what they are (an id of a kind).
_ID = re.compile(rb"\b([a-z]+[-_])[A-Za-z0-9]{24,}\b")


def normalized(requests: list[tuple[str, str, bytes]]) -> list[tuple[str, bytes, bytes]]:
    return sorted((m, _ID.sub(rb"\1<id>", p.encode()), _ID.sub(rb"\1<id>", b)) for m, p, b in requests)


def recorded_run(spec_name: str, **options: Any) -> tuple[list[tuple[str, str, bytes]], list[str]]:
    """Every request a fresh reference server got from one run, and the run's finding fingerprints."""
    spec = load_spec(spec_name)
    with recording_server(api_keys=[KEY], spec=spec, faults=["ignore_n"]) as server:
        session = TargetSession(server.base_url, api_key=KEY)
        results = Runner(spec, session, RunOptions(**options)).run()
        return list(server.recorder.requests), sorted(f.fingerprint for f in results.findings)


@pytest.mark.parametrize(
    ("spec_name", "chosen"),
    [
        (
            "openai-1.1.0",
            {
                "operations": (
                    "createCompletion",
                    "createFile",
                    "listFiles",
                    "retrieveFile",
                    "deleteFile",
                    "createFineTune",
                    "listFineTunes",
                    "cancelFineTune",
                )
            },
        ),
        ("openai-2.3.0-2026-08-21", {"tags": ("Chat", "Files", "Batch", "Responses")}),
    ],
)
def test_two_runs_with_one_seed_send_the_same_requests(spec_name: str, chosen: dict[str, Any]) -> None:
    options = {**chosen, "max_examples": 5, "seed": 3}
    # one worker: the very same requests, in the same order, ids included
    first, found = recorded_run(spec_name, **options, workers=1)
    again, found_again = recorded_run(spec_name, **options, workers=1)
    assert first == again
    assert found == found_again and found  # the fault is found, the same way, both times
    # two workers: the same requests, perhaps in another order and with ids swapped
    paired, found_paired = recorded_run(spec_name, **options, workers=2)
    assert normalized(paired) == normalized(first) and found_paired == found
    other, _ = recorded_run(spec_name, **{**options, "seed": 4}, workers=1)
    assert normalized(other) != normalized(first)  # the seed is what decides
