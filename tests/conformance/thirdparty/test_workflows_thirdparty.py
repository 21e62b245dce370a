"""The 2.x workflows against a third-party server: silent when right, loud per bug, nothing left behind."""

from __future__ import annotations

from typing import Any

import pytest
from jobs_server import JOB_BUGS, JobsState, jobs_app
from threaded import serving

from openai_conformance.engine._runner import Runner, RunOptions
from openai_conformance.engine._session import TargetSession
from openai_conformance.spec import load_spec

CHECKS = ("stored_completion_roundtrip", "batch_lifecycle", "fine_tuning_job_lifecycle")
OPERATIONS = (
    "createChatCompletion",
    "getChatCompletion",
    "listChatCompletions",
    "updateChatCompletion",
    "getChatCompletionMessages",
    "deleteChatCompletion",
    "createFile",
    "downloadFile",
    "deleteFile",
    "createBatch",
    "retrieveBatch",
    "cancelBatch",
    "createFineTuningJob",
    "retrieveFineTuningJob",
    "cancelFineTuningJob",
    "listFineTuningEvents",
)


def run(bugs: set[str] = set()) -> tuple[dict[str, Any], JobsState]:  # noqa: B006 - never mutated
    app, state = jobs_app(bugs=bugs)
    with serving(app) as base_url:
        options = RunOptions(operations=OPERATIONS, modes=("stateful",), checks=CHECKS)
        results = Runner(load_spec("openai-2.3.0-2026-08-21"), TargetSession(base_url), options).run().to_document()
    return results, state


def _counts(results: dict[str, Any]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for op in results["operations"]:
        for check, counts in op["checks"].items():
            total = out.setdefault(check, [0, 0])
            total[0] += counts["passed"]
            total[1] += counts["failed"]
    return out


def test_a_correct_server_passes_every_workflow_check_and_keeps_nothing() -> None:
    results, state = run()
    assert results["findings"] == [] and results["errors"] == []
    counts = _counts(results)
    assert {check: counts[check][0] > 0 for check in CHECKS} == dict.fromkeys(CHECKS, True), counts
    # Cleanup from the 2.x profile: deleted completions and files, no job left running.
    assert state.completions == {} and state.files == {}
    assert {job["status"] for job in state.jobs.values()} == {"cancelled"}


@pytest.mark.parametrize("bug", sorted(JOB_BUGS))
def test_each_bug_is_found_by_its_workflow_check(bug: str) -> None:
    results, _ = run({bug})
    assert {f["check"] for f in results["findings"]} == {JOB_BUGS[bug]}


def test_a_running_job_and_batch_are_cancelled_at_cleanup() -> None:
    from openai_conformance.profiles import MODERN

    sent: list[tuple[str, str]] = []

    class Answer:
        def __init__(self, body: dict[str, Any]) -> None:
            self.json = body

    def send(operation_id: str, path: str) -> Answer:
        sent.append((operation_id, path))
        running = {
            "retrieveFineTuningJob": {"status": "running", "result_files": ["file-r"]},
            "retrieveBatch": {"status": "in_progress", "output_file_id": "file-o"},
        }
        return Answer(running.get(operation_id, {}))

    files = MODERN.clean_up({"fine_tuning.job": ["ftjob-1"], "batch": ["batch-1"], "file": ["file-in"]}, send)
    assert ("cancelFineTuningJob", "/fine_tuning/jobs/ftjob-1/cancel") in sent
    assert ("cancelBatch", "/batches/batch-1/cancel") in sent
    assert sorted(files) == ["file-in", "file-o", "file-r"]
