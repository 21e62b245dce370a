"""Batches over an uploaded JSONL of requests, answered by this same server.

validating (at create) -> in_progress -> finalizing -> completed, all on the first
retrieve after create (``in_progress_at`` .. ``completed_at`` record each step);
an input with a malformed line goes validating -> failed instead. Cancel before
that retrieve: cancelling, then cancelled on the next retrieve. Each line is sent
through ``_inprocess.dispatch``: its answer is what the endpoint answers over HTTP.
"""

from __future__ import annotations

import json
from typing import Any

from ._common import now
from ._errors import InvalidRequest, NotFound
from ._inprocess import dispatch
from ._paging import page
from ._registry import Call, Registry
from ._routes_files import find_file
from ._store import Store

routes = Registry()

BATCH_PURPOSE = "batch"
WINDOW = 24 * 3600
SAMPLE_LINE = {
    "custom_id": "request-1",
    "method": "POST",
    "url": "/v1/embeddings",
    "body": {"model": "text-embedding-3-small", "input": "hello"},
}


def _fallback(store: Store) -> dict[str, Any]:
    data = (json.dumps(SAMPLE_LINE) + "\n").encode()
    stored = store.add_file("batch.jsonl", BATCH_PURPOSE, data)
    return {"input_file_id": stored.id, "endpoint": "/v1/embeddings", "completion_window": "24h"}


@routes.handles("createBatch", fallback=_fallback)
async def create_batch(call: Call) -> Any:
    body, records = call.body, call.store.records
    source = find_file(call.store, body["input_file_id"], "input_file_id")
    if source.purpose != BATCH_PURPOSE:
        raise InvalidRequest(
            f"File {source.id} has purpose '{source.purpose}'; batches need "
            f"a file uploaded with purpose '{BATCH_PURPOSE}'.",
            param="input_file_id",
        )
    created = now()
    batch = {
        "id": records.new_id("batch"),
        "object": "batch",
        "endpoint": body["endpoint"],
        "input_file_id": source.id,
        "completion_window": body["completion_window"],
        "status": "validating",
        "created_at": created,
        "expires_at": created + WINDOW,
        "request_counts": {"total": 0, "completed": 0, "failed": 0},
        "metadata": body.get("metadata"),
    }
    records.batches[batch["id"]] = batch
    return dict(batch)


def _find(call: Call) -> dict[str, Any]:
    batch_id = call.path["batch_id"]
    found = call.store.records.batches.get(batch_id)
    if found is None:
        raise NotFound(f"No such batch: {batch_id}", param="batch_id")
    return found


@routes.handles("retrieveBatch")
async def retrieve_batch(call: Call) -> Any:
    batch = _find(call)
    if batch["status"] == "validating":
        await _run(call, batch)
    elif batch["status"] == "cancelling":
        batch.update(status="cancelled", cancelled_at=now())
    return dict(batch)


@routes.handles("listBatches")
async def list_batches(call: Call) -> Any:
    listed = page([dict(b) for b in call.store.records.batches.values()], call.query)
    return {"first_id": "", "last_id": "", **listed}


@routes.handles("cancelBatch")
async def cancel_batch(call: Call) -> Any:
    batch = _find(call)
    if batch["status"] not in ("validating", "in_progress"):
        raise InvalidRequest(f"Cannot cancel a batch with status '{batch['status']}'.", param="batch_id")
    batch.update(status="cancelling", cancelling_at=now())
    return dict(batch)


def _lines(data: bytes, endpoint: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The request lines of an input file, and a BatchError for each malformed one."""
    requests: list[Any] = []
    errors: list[Any] = []
    seen: set[Any] = set()
    text = data.decode("utf-8", errors="replace")
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except ValueError:
            item = None
        problem = _line_problem(item, endpoint, seen)
        if problem:
            errors.append({"code": "invalid_request", "message": problem, "param": None, "line": number})
        else:
            seen.add(item["custom_id"])
            requests.append(item)
    if not requests and not errors:
        errors.append({"code": "empty_file", "message": "The input file has no requests.", "param": None, "line": None})
    return requests, errors


def _line_problem(item: Any, endpoint: str, seen: set[str]) -> str | None:
    if not isinstance(item, dict):
        return "The line is not a JSON object."
    if not isinstance(item.get("custom_id"), str):
        return "custom_id must be a string."
    if item["custom_id"] in seen:
        return f"custom_id {item['custom_id']!r} is used twice; each must be unique."
    if item.get("method") != "POST":
        return "method must be POST."
    if item.get("url") != endpoint:
        return f"url must be the batch's endpoint {endpoint}."
    if not isinstance(item.get("body"), dict):
        return "body must be a JSON object."
    return None


async def _run(call: Call, batch: dict[str, Any]) -> None:
    """Validate the input, answer every line through the server itself, write the files."""
    store, records = call.store, call.store.records
    requests, errors = _lines(find_file(store, batch["input_file_id"]).data, batch["endpoint"])
    if errors:
        batch.update(status="failed", failed_at=now(), errors={"object": "list", "data": errors})
        return
    batch.update(status="in_progress", in_progress_at=now())
    batch["request_counts"]["total"] = len(requests)
    authorization = call.request.headers.get("authorization", "")
    done: list[Any] = []
    failed: list[Any] = []
    for item in requests:
        if item["body"].get("stream") is True:
            status, answer = (
                400,
                {
                    "error": {
                        "message": "Batch requests cannot stream.",
                        "type": "invalid_request_error",
                        "param": "stream",
                        "code": None,
                    }
                },
            )
        else:
            status, answer = await dispatch(call.request.app, "POST", item["url"], item["body"], authorization)
        custom_id = item["custom_id"] + ("-x" if call.has("batch_output_mismatch") else "")
        line = {
            "id": records.new_id("batch_req"),
            "custom_id": custom_id,
            "response": {"status_code": status, "request_id": records.new_id("req"), "body": answer},
            "error": None,
        }
        (done if status == 200 else failed).append(line)
    batch.update(status="finalizing", finalizing_at=now())
    for kind, lines in (("output", done), ("error", failed)):
        if lines:
            data = "".join(json.dumps(line) + "\n" for line in lines).encode()
            stored = store.add_file(f"batch_{batch['id']}_{kind}.jsonl", "batch_output", data)
            batch[f"{kind}_file_id"] = stored.id
    batch["request_counts"].update(completed=len(done), failed=len(failed))
    model = requests[0]["body"].get("model")
    if isinstance(model, str):
        batch["model"] = model
    batch["usage"] = _usage(done)
    batch.update(status="completed", completed_at=now())


def _usage(lines: list[dict[str, Any]]) -> dict[str, Any]:
    """Tokens over the answered lines (chat's prompt/completion, Responses' input/output)."""
    tokens_in = tokens_out = 0
    for line in lines:
        usage = (line["response"]["body"] or {}).get("usage") or {}
        tokens_in += int(usage.get("prompt_tokens", usage.get("input_tokens", 0)) or 0)
        tokens_out += int(usage.get("completion_tokens", usage.get("output_tokens", 0)) or 0)
    return {
        "input_tokens": tokens_in,
        "input_tokens_details": {"cached_tokens": 0},
        "output_tokens": tokens_out,
        "output_tokens_details": {"reasoning_tokens": 0},
        "total_tokens": tokens_in + tokens_out,
    }
