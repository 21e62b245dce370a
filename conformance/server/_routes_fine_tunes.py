"""Fine-tunes: a job whose status moves one step per retrieve, with events.

pending -> running -> succeeded (then its model is listed under /models), or
cancelled. ``?stream=true`` on events runs the job to its end as it streams.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

from ._catalogue import ORGANIZATION, model_object
from ._common import listing, now, require_model, value
from ._errors import InvalidRequest, NotFound
from ._registry import Call, Registry
from ._responses import sse
from ._routes_files import FINE_TUNE_PURPOSE, SAMPLE_JSONL, find_file
from ._store import TERMINAL, FineTuneJob, Store

routes = Registry()

ORG_SLUG = ORGANIZATION.removeprefix("org-")
HYPERPARAMS = {"batch_size": 4, "learning_rate_multiplier": 0.1, "n_epochs": 4, "prompt_loss_weight": 0.01}


def _training_file(store: Store, file_id: str, param: str) -> Any:
    found = find_file(store, file_id, param)
    if found.purpose != FINE_TUNE_PURPOSE:
        raise InvalidRequest(
            f"File {file_id} has purpose '{found.purpose}'; fine-tunes need "
            f"files uploaded with purpose '{FINE_TUNE_PURPOSE}'.",
            param=param,
        )
    return found


def _fallback(store: Store) -> dict[str, Any]:
    return {"training_file": store.add_file("train.jsonl", FINE_TUNE_PURPOSE, SAMPLE_JSONL).id}


@routes.handles("createFineTune", fallback=_fallback)
async def create_fine_tune(call: Call) -> Any:
    body, store = call.body, call.store
    training = _training_file(store, body["training_file"], "training_file")
    validation = []
    if body.get("validation_file") is not None:
        validation.append(_training_file(store, body["validation_file"], "validation_file"))
    model = require_model(call, value(body, "model", "curie"))
    hyperparams = {key: value(body, key, default) for key, default in HYPERPARAMS.items()}
    created = now()
    job = FineTuneJob(
        id=store.new_id("ft"),
        model=model,
        created_at=created,
        updated_at=created,
        hyperparams=hyperparams,
        training_files=[training],
        validation_files=validation,
        suffix=body.get("suffix"),
    )
    job.event(f"Created fine-tune: {job.id}")
    job.event("Job enqueued. Waiting for jobs ahead to complete. Queue number: 0.")
    store.fine_tunes[job.id] = job
    return job.to_json()


def _job(call: Call) -> FineTuneJob:
    job_id = call.path["fine_tune_id"]
    job = call.store.fine_tunes.get(job_id)
    if job is None:
        raise NotFound(f"No such fine-tune: {job_id}", param="fine_tune_id")
    return job


def advance(job: FineTuneJob, store: Store) -> None:
    """Move ``job`` one step: pending -> running -> succeeded; terminal jobs stay."""
    if job.status in TERMINAL:
        return
    job.updated_at = max(now(), job.updated_at)
    if job.status == "pending":
        job.status = "running"
        job.event("Job started.")
        return
    name = _model_name(job, store)
    store.fine_tuned_models[name] = model_object(name, ORGANIZATION, job.updated_at)
    results = store.add_file(
        f"{job.id}-results.csv", "fine-tune-results", b"step,elapsed_tokens,training_loss\n1,1024,0.5\n"
    )
    job.result_files.append(results)
    job.fine_tuned_model = name
    job.status = "succeeded"
    job.event(f"Uploaded snapshot: {name}.")
    job.event(f"Uploaded result files: {results.id}.")
    job.event("Job succeeded.")


def _model_name(job: FineTuneJob, store: Store) -> str:
    """``<base>:ft-<org>[:<suffix>]-<date>``, unique: the date moves on a second if taken."""
    base = job.model.split(":")[0]
    tag = f"ft-{ORG_SLUG}" + (f":{job.suffix}" if job.suffix else "")
    moment = job.updated_at
    while True:
        name = f"{base}:{tag}-{time.strftime('%Y-%m-%d-%H-%M-%S', time.gmtime(moment))}"
        if not store.has_model(name):
            return name
        moment += 1


@routes.handles("listFineTunes")
async def list_fine_tunes(call: Call) -> Any:
    return listing([job.to_json() for job in call.store.fine_tunes.values()])


@routes.handles("retrieveFineTune")
async def retrieve_fine_tune(call: Call) -> Any:
    job = _job(call)
    advance(job, call.store)
    return job.to_json()


@routes.handles("cancelFineTune")
async def cancel_fine_tune(call: Call) -> Any:
    job = _job(call)
    if job.status in TERMINAL:
        raise InvalidRequest(f"Cannot cancel a job that has already {job.status}.", param="fine_tune_id")
    if not call.has("cancel_noop"):
        job.status = "cancelled"
        job.updated_at = max(now(), job.updated_at)
        job.event("Job cancelled.")
    return job.to_json()


@routes.handles("listFineTuneEvents")
async def list_fine_tune_events(call: Call) -> Any:
    job = _job(call)
    if call.query.get("stream"):
        return sse(_live_events(job, call.store), call.faults)
    return listing(list(job.events))


async def _live_events(job: FineTuneJob, store: Store) -> AsyncIterator[dict[str, Any]]:
    """Every event so far, then the rest as the job runs to its end."""
    sent = 0
    while True:
        for event in job.events[sent:]:
            yield event
        sent = len(job.events)
        if job.status in TERMINAL:
            return
        await asyncio.sleep(0)  # let other requests (a cancel) in between steps
        advance(job, store)
