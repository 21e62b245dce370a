"""Stateful workflows of the 2.x surface that run as jobs: batches and fine_tuning jobs.

A batch's output file answers its input file line by line, matched by
``custom_id`` (the Batch API guide: "the output line order may not match the
input line order; use custom_id"). A fine_tuning job lists events and cancels.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from openai_conformance.strategies import FilePart

from ..results._tally import Failure
from ._stateful import _body, _case

if TYPE_CHECKING:
    from ._workflows_modern import ModernDriver

_POLLS = 5  # a real batch or job takes hours: a few looks, then no verdict
_CHAT_TRAINING = [
    {"messages": [{"role": "user", "content": q}, {"role": "assistant", "content": a}]}
    for q, a in (("Say hello", "hello"), ("Say goodbye", "goodbye"), ("Count to two", "one two"))
]


def _jsonl(lines: list[dict]) -> bytes:
    return "".join(json.dumps(line) + "\n" for line in lines).encode()


def _upload(driver: ModernDriver, w: str, name: str, purpose: str, content: bytes) -> str | None:
    case = _case(
        w,
        "createFile",
        "/files",
        method="POST",
        media_type="multipart/form-data",
        form={"purpose": purpose, "file": FilePart(name, "application/jsonl", content)},
    )
    response = driver.exchange("createFile", case)
    file_id = _body(response).get("id")
    if response is None or response.status >= 300 or not isinstance(file_id, str):
        return None
    driver.created("file", file_id)
    return file_id


def batch_workflow(driver: ModernDriver) -> None:
    """Upload requests, batch them, wait a little; a completed batch's output answers each custom_id."""
    from ._workflows_modern import _model

    w = "batches"
    model = _model(driver, "createChatCompletion", "gpt-4o")
    lines = [
        {
            "custom_id": f"oc-request-{i}",
            "method": "POST",
            "url": "/v1/chat/completions",
            "body": {"model": model, "messages": [{"role": "user", "content": f"Say {i}"}], "max_tokens": 5},
        }
        for i in range(3)
    ]
    input_id = _upload(driver, w, "batch.jsonl", "batch", _jsonl(lines))
    if input_id is None:
        return
    create = _case(
        w,
        "createBatch",
        "/batches",
        method="POST",
        media_type="application/json",
        json={"input_file_id": input_id, "endpoint": "/v1/chat/completions", "completion_window": "24h"},
    )
    batch = _body(driver.exchange("createBatch", create))
    bid = batch.get("id")
    if not isinstance(bid, str):
        return
    driver.created("batch", bid)
    get = _case(w, "retrieveBatch", f"/batches/{bid}", method="GET", path_parameters={"batch_id": bid})
    for _ in range(_POLLS):
        got = driver.exchange("retrieveBatch", get)
        batch = _body(got)
        if batch.get("status") in ("completed", "failed", "expired", "cancelled"):
            break
    if batch.get("status") != "completed" or not isinstance(batch.get("output_file_id"), str):
        return
    output_id = batch["output_file_id"]
    driver.created("file", output_id)
    download = _case(
        w, "downloadFile", f"/files/{output_id}/content", method="GET", path_parameters={"file_id": output_id}
    )
    got = driver.exchange("downloadFile", download)
    answered = []
    for line in (got.content if got is not None else b"").decode(errors="replace").splitlines():
        try:
            answered.append(json.loads(line).get("custom_id"))
        except (ValueError, AttributeError):
            answered.append(None)
    asked = [str(line["custom_id"]) for line in lines]
    failure = None
    if sorted(map(str, answered)) != sorted(asked):
        failure = Failure(
            "Batch output does not answer the input by custom_id",
            ", ".join(asked),
            ", ".join(map(str, answered)) or "no lines",
            pointer="/custom_id",
        )
    driver.verdict("batch_lifecycle", "downloadFile", download, got, failure)


def fine_tuning_job_workflow(driver: ModernDriver) -> None:
    """Upload chat training data, create a job, list its events, cancel it: status cancelled."""
    from ._workflows_modern import _model

    w = "fine-tuning-jobs"
    file_id = _upload(driver, w, "training.jsonl", "fine-tune", _jsonl(_CHAT_TRAINING))
    if file_id is None:
        return
    create = _case(
        w,
        "createFineTuningJob",
        "/fine_tuning/jobs",
        method="POST",
        media_type="application/json",
        json={"model": _model(driver, "createFineTuningJob", "gpt-4o-mini-2024-07-18"), "training_file": file_id},
    )
    job = _body(driver.exchange("createFineTuningJob", create))
    jid = job.get("id")
    if not isinstance(jid, str):
        return
    driver.created("fine_tuning.job", jid)
    params, path = {"fine_tuning_job_id": jid}, f"/fine_tuning/jobs/{jid}"
    # Cancel first: a real job may finish (and refuse a cancel) while we look at it.
    cancel = _case(w, "cancelFineTuningJob", f"{path}/cancel", method="POST", path_parameters=params)
    cancelled = driver.exchange("cancelFineTuningJob", cancel)
    events = _case(w, "listFineTuningEvents", f"{path}/events", method="GET", path_parameters=params)
    listed = driver.exchange("listFineTuningEvents", events)
    failure = (
        None
        if _body(listed).get("data")
        else Failure("A created job has no events", "at least one event", "none", pointer="/data")
    )
    driver.verdict("fine_tuning_job_lifecycle", "listFineTuningEvents", events, listed, failure)
    if cancelled is None or cancelled.status >= 300:
        return
    retrieve = _case(w, "retrieveFineTuningJob", path, method="GET", path_parameters=params)
    got = driver.exchange("retrieveFineTuningJob", retrieve)
    status = _body(got).get("status")
    failure = (
        None
        if status == "cancelled"
        else Failure("Cancel did not cancel the job", "status cancelled", f"status {status}", pointer="/status")
    )
    driver.verdict("fine_tuning_job_lifecycle", "cancelFineTuningJob", cancel, got, failure)
