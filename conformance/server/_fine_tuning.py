"""Fine-tuning jobs of the 2.x surface, with events and checkpoints.

Each retrieve moves a job one step: validating_files -> queued -> running ->
succeeded (its model then listed under /models, checkpoints and a result file
written), or failed when the training file is not valid training data. Cancel
makes it cancelled; pause holds a running job where it is until resume (the
document's status enum has no "paused", so the status stays "running").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ._catalogue import ORGANIZATION, model_object
from ._common import now, value
from ._errors import InvalidRequest, NotFound
from ._paging import page
from ._registry import Call, Registry
from ._routes_files import FINE_TUNE_PURPOSE, MODERN_TRAINING_KEYS, check_training_data, find_file
from ._store import Store

routes = Registry()

TERMINAL = frozenset({"succeeded", "failed", "cancelled"})
STEPS = {"validating_files": "queued", "queued": "running", "running": "succeeded"}
# The models the document lists as fine-tunable; fine-tuned models and the catalogue's too.
TUNABLE = frozenset(
    {
        "babbage-002",
        "davinci-002",
        "gpt-3.5-turbo",
        "gpt-4o-mini",
        "gpt-4o-mini-2024-07-18",
        "gpt-4o-2024-08-06",
        "gpt-4.1-2025-04-14",
        "gpt-4.1-mini-2025-04-14",
        "gpt-4.1-nano-2025-04-14",
    }
)
RESOLVED = {"batch_size": 1, "learning_rate_multiplier": 1.8, "n_epochs": 3}
SAMPLE_DATA = b'{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]}\n'


@dataclass
class Job:
    job: dict[str, Any]
    events: list[dict[str, Any]] = field(default_factory=list)
    checkpoints: list[dict[str, Any]] = field(default_factory=list)
    paused: bool = False


def _event(store: Store, job: Job, message: str, level: str = "info") -> None:
    job.events.append(
        {
            "object": "fine_tuning.job.event",
            "id": store.records.new_id("ftevent", sep="-"),
            "created_at": now(),
            "level": level,
            "message": message,
            "type": "message",
        }
    )


def _fallback(store: Store) -> dict[str, Any]:
    stored = store.add_file("train.jsonl", FINE_TUNE_PURPOSE, SAMPLE_DATA)
    return {"model": "gpt-4o-mini", "training_file": stored.id}


def _file(call: Call, name: str) -> str | None:
    file_id = call.body.get(name)
    if file_id is None:
        return None
    found = find_file(call.store, file_id, name)
    if found.purpose != FINE_TUNE_PURPOSE:
        raise InvalidRequest(
            f"File {file_id} has purpose '{found.purpose}'; fine-tuning needs purpose '{FINE_TUNE_PURPOSE}'.",
            param=name,
        )
    return found.id


def _hyperparameters(body: dict[str, Any]) -> dict[str, Any]:
    method = body.get("method") or {}
    chosen = (method.get(method.get("type", ""), {}) or {}).get("hyperparameters") or body.get("hyperparameters") or {}
    return {name: value(chosen, name, "auto") for name in RESOLVED}


@routes.handles("createFineTuningJob", fallback=_fallback)
async def create_job(call: Call) -> Any:
    body, store = call.body, call.store
    model = body["model"]
    if model not in TUNABLE and not store.has_model(model):
        raise NotFound(
            f"Model {model} is not available for fine-tuning or does not exist.",
            param="model",
            code="model_not_available",
        )
    training = _file(call, "training_file")
    validation = _file(call, "validation_file")
    job_id = store.records.new_id("ftjob", sep="-")
    job = Job(
        {
            "id": job_id,
            "object": "fine_tuning.job",
            "model": model,
            "created_at": now(),
            "error": None,
            "fine_tuned_model": None,
            "finished_at": None,
            "hyperparameters": _hyperparameters(body),
            "organization_id": ORGANIZATION,
            "result_files": [],
            "status": "validating_files",
            "trained_tokens": None,
            "training_file": training,
            "validation_file": validation,
            "seed": value(body, "seed", 42),
            "estimated_finish": None,
            "integrations": body.get("integrations"),
            "metadata": body.get("metadata"),
            "method": body.get("method")
            or {"type": "supervised", "supervised": {"hyperparameters": _hyperparameters(body)}},
        }
    )
    if body.get("suffix"):
        job.job["user_provided_suffix"] = body["suffix"]
    _event(store, job, f"Created fine-tuning job: {job_id}")
    _event(store, job, f"Validating training file: {training}")
    store.records.fine_tuning_jobs[job_id] = job
    return dict(job.job)


def _find(call: Call) -> Job:
    job_id = call.path["fine_tuning_job_id"]
    found = call.store.records.fine_tuning_jobs.get(job_id)
    if found is None:
        raise NotFound(f"Could not find fine tune job: {job_id}", param="fine_tuning_job_id")
    return found


def advance(store: Store, job: Job) -> None:
    """One step along the lifecycle; terminal and paused jobs stay."""
    status = job.job["status"]
    if status in TERMINAL or job.paused:
        return
    if status == "validating_files":
        try:
            check_training_data(find_file(store, job.job["training_file"]).data, MODERN_TRAINING_KEYS)
        except (InvalidRequest, NotFound) as problem:
            job.job.update(
                status="failed",
                finished_at=now(),
                error={"code": "invalid_training_file", "message": problem.message, "param": "training_file"},
            )
            _event(store, job, problem.message, "error")
            return
    job.job["status"] = STEPS[status]
    if job.job["status"] == "queued":
        _event(store, job, "Files validated, moving job to queued state")
    elif job.job["status"] == "running":
        job.job["hyperparameters"] = {
            **RESOLVED,
            **{k: v for k, v in job.job["hyperparameters"].items() if v != "auto"},
        }
        _event(store, job, "Fine-tuning job started")
    else:
        _succeed(store, job)


def _succeed(store: Store, job: Job) -> None:
    data = job.job
    tail = data["id"].rsplit("-", 1)[-1][:8]
    name = f"ft:{data['model']}:{ORGANIZATION.removeprefix('org-')}:{data.get('user_provided_suffix', '')}:{tail}"
    finished = now()
    store.fine_tuned_models[name] = model_object(name, ORGANIZATION, finished)
    results = store.add_file(
        f"{data['id']}-results.csv", "fine-tune-results", b"step,train_loss,train_accuracy\n1,0.5,0.8\n2,0.3,0.9\n"
    )
    for step in (1, 2):
        checkpoint = f"{name}:ckpt-step-{step}" if step < 2 else name
        job.checkpoints.append(
            {
                "object": "fine_tuning.job.checkpoint",
                "id": store.records.new_id("ftckpt"),
                "created_at": finished,
                "fine_tuned_model_checkpoint": checkpoint,
                "step_number": step,
                "fine_tuning_job_id": data["id"],
                "metrics": {
                    "step": float(step),
                    "train_loss": 0.5 / step,
                    "train_mean_token_accuracy": 0.8 + 0.05 * step,
                },
            }
        )
    data.update(fine_tuned_model=name, finished_at=finished, result_files=[results.id], trained_tokens=1024)
    _event(store, job, f"New fine-tuned model created: {name}")
    _event(store, job, "The job has successfully completed")


@routes.handles("retrieveFineTuningJob")
async def retrieve_job(call: Call) -> Any:
    job = _find(call)
    advance(call.store, job)
    return dict(job.job)


@routes.handles("listPaginatedFineTuningJobs")
async def list_jobs(call: Call) -> Any:
    wanted = call.query.get("metadata") or {}
    jobs = [
        dict(j.job)
        for j in call.store.records.fine_tuning_jobs.values()
        if all((j.job.get("metadata") or {}).get(k) == v for k, v in wanted.items())
    ]
    return _without_cursors(page(jobs, call.query))


def _without_cursors(listed: dict[str, Any]) -> dict[str, Any]:
    # The job and event lists document no first_id/last_id: answer what they document.
    listed.pop("first_id", None)
    listed.pop("last_id", None)
    return listed


@routes.handles("cancelFineTuningJob")
async def cancel_job(call: Call) -> Any:
    job = _find(call)
    if job.job["status"] in TERMINAL:
        raise InvalidRequest(
            f"Job has already {job.job['status']}: it cannot be cancelled.", param="fine_tuning_job_id"
        )
    if not call.has("fine_tuning_cancel_noop"):
        job.job.update(status="cancelled", finished_at=now())
        _event(call.store, job, "Fine-tuning job cancelled")
    return dict(job.job)


@routes.handles("pauseFineTuningJob")
async def pause_job(call: Call) -> Any:
    job = _find(call)
    if job.job["status"] != "running" or job.paused:
        raise InvalidRequest(
            f"Only a running job can be paused; this one is {'paused' if job.paused else job.job['status']}.",
            param="fine_tuning_job_id",
        )
    job.paused = True
    _event(call.store, job, "Fine-tuning job paused")
    return dict(job.job)


@routes.handles("resumeFineTuningJob")
async def resume_job(call: Call) -> Any:
    job = _find(call)
    if not job.paused:
        raise InvalidRequest("Only a paused job can be resumed.", param="fine_tuning_job_id")
    job.paused = False
    _event(call.store, job, "Fine-tuning job resumed")
    return dict(job.job)


@routes.handles("listFineTuningEvents")
async def list_events(call: Call) -> Any:
    return _without_cursors(page(_find(call).events, call.query))


@routes.handles("listFineTuningJobCheckpoints")
async def list_checkpoints(call: Call) -> Any:
    listed = page(_find(call).checkpoints, call.query, limit=10)
    return {"first_id": None, "last_id": None, **listed}
