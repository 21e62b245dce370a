"""A third-party 2.x server for the stateful workflows: stored chat completions, files, batches, jobs.

Written from the API reference: a batch completes on its second look and writes
one output line per input line (in reverse order, as the API allows: match by
``custom_id``); a fine_tuning job stays queued until cancelled. ``JOB_BUGS`` are
the switches, each for the workflow check named beside it.
"""

from __future__ import annotations

import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

JOB_BUGS = {
    "stored_not_listed": "stored_completion_roundtrip",  # stored completions missing from the list
    "batch_output_mismatch": "batch_lifecycle",  # output lines carry the wrong custom_id
    "cancel_noop": "fine_tuning_job_lifecycle",  # cancel answers, the status stays
}


@dataclass
class JobsState:
    bugs: frozenset[str] = frozenset()
    completions: dict[str, dict[str, Any]] = field(default_factory=dict)
    files: dict[str, tuple[dict[str, Any], bytes]] = field(default_factory=dict)
    batches: dict[str, dict[str, Any]] = field(default_factory=dict)
    jobs: dict[str, dict[str, Any]] = field(default_factory=dict)
    looks: dict[str, int] = field(default_factory=dict)
    ids: Any = field(default_factory=itertools.count)

    def new(self, prefix: str) -> str:
        return f"{prefix}-{next(self.ids):08d}tp"


def _missing(name: str) -> JSONResponse:
    return JSONResponse(
        {"error": {"message": f"No such object: {name}", "type": "invalid_request_error", "param": "id", "code": None}},
        404,
    )


def _listing(items: list[dict[str, Any]]) -> JSONResponse:
    return JSONResponse(
        {
            "object": "list",
            "data": items,
            "first_id": items[0]["id"] if items else None,
            "last_id": items[-1]["id"] if items else None,
            "has_more": False,
        }
    )


def jobs_routes(state: JobsState) -> list[Route]:  # noqa: C901 - one small handler per route
    """Routes under ``/v1`` for the 2.x stateful workflows."""

    async def create_chat(request: Request) -> Response:
        body = await request.json()
        cid = state.new("chatcmpl")
        messages = body.get("messages") or []
        answer = {
            "id": cid,
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model"),
            "choices": [
                {
                    "index": 0,
                    "finish_reason": "stop",
                    "logprobs": None,
                    "message": {"role": "assistant", "content": "Stored.", "refusal": None},
                }
            ],
            "usage": {"prompt_tokens": 5, "completion_tokens": 1, "total_tokens": 6},
            "metadata": body.get("metadata") or {},
        }
        if body.get("store"):
            state.completions[cid] = {**answer, "request_messages": messages}
        return JSONResponse(answer)

    def completion(request: Request) -> dict[str, Any] | None:
        return state.completions.get(request.path_params["cid"])

    def public(stored: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in stored.items() if k != "request_messages"}

    async def get_chat(request: Request) -> Response:
        found = completion(request)
        return JSONResponse(public(found)) if found else _missing(request.path_params["cid"])

    async def list_chats(request: Request) -> Response:
        shown = [] if "stored_not_listed" in state.bugs else [public(c) for c in state.completions.values()]
        return _listing(shown)

    async def update_chat(request: Request) -> Response:
        found = completion(request)
        if not found:
            return _missing(request.path_params["cid"])
        found["metadata"] = (await request.json()).get("metadata") or {}
        return JSONResponse(public(found))

    async def chat_messages(request: Request) -> Response:
        found = completion(request)
        if not found:
            return _missing(request.path_params["cid"])
        return _listing([{"id": f"{found['id']}-{i}", **m} for i, m in enumerate(found["request_messages"])])

    async def delete_chat(request: Request) -> Response:
        cid = request.path_params["cid"]
        if state.completions.pop(cid, None) is None:
            return _missing(cid)
        return JSONResponse({"id": cid, "object": "chat.completion.deleted", "deleted": True})

    async def create_file(request: Request) -> Response:
        form = await request.form()
        upload = form["file"]
        content = await upload.read()  # type: ignore[union-attr]
        fid = state.new("file")
        meta = {
            "id": fid,
            "object": "file",
            "bytes": len(content),
            "created_at": int(time.time()),
            "filename": upload.filename,
            "purpose": form.get("purpose"),
            "status": "processed",
        }  # type: ignore[union-attr]
        state.files[fid] = (meta, content)
        return JSONResponse(meta)

    async def file_content(request: Request) -> Response:
        found = state.files.get(request.path_params["fid"])
        return (
            Response(found[1], media_type="application/octet-stream") if found else _missing(request.path_params["fid"])
        )

    async def delete_file(request: Request) -> Response:
        fid = request.path_params["fid"]
        if state.files.pop(fid, None) is None:
            return _missing(fid)
        return JSONResponse({"id": fid, "object": "file", "deleted": True})

    async def create_batch(request: Request) -> Response:
        body = await request.json()
        if body.get("input_file_id") not in state.files:
            return _missing(str(body.get("input_file_id")))
        bid = state.new("batch")
        state.batches[bid] = {
            "id": bid,
            "object": "batch",
            "endpoint": body["endpoint"],
            "status": "validating",
            "input_file_id": body["input_file_id"],
            "completion_window": body["completion_window"],
            "created_at": int(time.time()),
            "output_file_id": None,
            "error_file_id": None,
        }
        return JSONResponse(state.batches[bid])

    async def get_batch(request: Request) -> Response:
        batch = state.batches.get(request.path_params["bid"])
        if batch is None:
            return _missing(request.path_params["bid"])
        state.looks[batch["id"]] = state.looks.get(batch["id"], 0) + 1
        if batch["status"] == "validating" and state.looks[batch["id"]] >= 2:
            _finish(state, batch)
        return JSONResponse(batch)

    async def cancel_batch(request: Request) -> Response:
        batch = state.batches.get(request.path_params["bid"])
        if batch is None:
            return _missing(request.path_params["bid"])
        if batch["status"] in ("validating", "in_progress"):
            batch["status"] = "cancelled"
        return JSONResponse(batch)

    async def create_job(request: Request) -> Response:
        body = await request.json()
        if body.get("training_file") not in state.files:
            return _missing(str(body.get("training_file")))
        jid = state.new("ftjob")
        state.jobs[jid] = {
            "id": jid,
            "object": "fine_tuning.job",
            "model": body.get("model"),
            "status": "queued",
            "training_file": body["training_file"],
            "created_at": int(time.time()),
            "fine_tuned_model": None,
            "result_files": [],
        }
        return JSONResponse(state.jobs[jid])

    def job(request: Request) -> dict[str, Any] | None:
        return state.jobs.get(request.path_params["jid"])

    async def get_job(request: Request) -> Response:
        found = job(request)
        return JSONResponse(found) if found else _missing(request.path_params["jid"])

    async def cancel_job(request: Request) -> Response:
        found = job(request)
        if found is None:
            return _missing(request.path_params["jid"])
        if "cancel_noop" not in state.bugs:
            found["status"] = "cancelled"
        return JSONResponse(found)

    async def job_events(request: Request) -> Response:
        found = job(request)
        if found is None:
            return _missing(request.path_params["jid"])
        return _listing(
            [
                {
                    "id": f"ftevent-{found['id']}",
                    "object": "fine_tuning.job.event",
                    "level": "info",
                    "message": f"Job {found['status']}",
                    "created_at": found["created_at"],
                }
            ]
        )

    return [
        Route("/v1/chat/completions", create_chat, methods=["POST"]),
        Route("/v1/chat/completions", list_chats, methods=["GET"]),
        Route("/v1/chat/completions/{cid}", get_chat, methods=["GET"]),
        Route("/v1/chat/completions/{cid}", update_chat, methods=["POST"]),
        Route("/v1/chat/completions/{cid}", delete_chat, methods=["DELETE"]),
        Route("/v1/chat/completions/{cid}/messages", chat_messages, methods=["GET"]),
        Route("/v1/files", create_file, methods=["POST"]),
        Route("/v1/files/{fid}/content", file_content, methods=["GET"]),
        Route("/v1/files/{fid}", delete_file, methods=["DELETE"]),
        Route("/v1/batches", create_batch, methods=["POST"]),
        Route("/v1/batches/{bid}", get_batch, methods=["GET"]),
        Route("/v1/batches/{bid}/cancel", cancel_batch, methods=["POST"]),
        Route("/v1/fine_tuning/jobs", create_job, methods=["POST"]),
        Route("/v1/fine_tuning/jobs/{jid}", get_job, methods=["GET"]),
        Route("/v1/fine_tuning/jobs/{jid}/cancel", cancel_job, methods=["POST"]),
        Route("/v1/fine_tuning/jobs/{jid}/events", job_events, methods=["GET"]),
    ]


def _finish(state: JobsState, batch: dict[str, Any]) -> None:
    """Answer every input line, in reverse order, and store the output file."""
    _, content = state.files[batch["input_file_id"]]
    lines = [json.loads(line) for line in content.decode().splitlines() if line.strip()]
    out = []
    for n, line in enumerate(reversed(lines)):
        custom_id = f"wrong-{n}" if "batch_output_mismatch" in state.bugs else line.get("custom_id")
        out.append(
            {
                "id": f"batch_req_{n}",
                "custom_id": custom_id,
                "error": None,
                "response": {"status_code": 200, "request_id": f"req_{n}", "body": {"object": "chat.completion"}},
            }
        )
    data = "".join(json.dumps(o) + "\n" for o in out).encode()
    fid = state.new("file")
    state.files[fid] = (
        {
            "id": fid,
            "object": "file",
            "bytes": len(data),
            "created_at": int(time.time()),
            "filename": "batch_output.jsonl",
            "purpose": "batch_output",
            "status": "processed",
        },
        data,
    )
    batch.update(status="completed", output_file_id=fid)


def jobs_app(*, bugs: frozenset[str] | set[str] = frozenset()) -> tuple[Starlette, JobsState]:
    """The app and its state (a test looks into it to see what cleanup left)."""
    unknown = set(bugs) - set(JOB_BUGS)
    if unknown:
        raise ValueError(f"unknown bugs: {sorted(unknown)}")
    state = JobsState(bugs=frozenset(bugs))
    return Starlette(routes=jobs_routes(state)), state
