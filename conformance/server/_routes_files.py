"""Files: multipart upload kept in memory, list, retrieve, download, delete.

Documents that serve batches (the 2.x surface) get that surface's files: its
purposes, chat-format fine-tune data, ``expires_after``, and paginated lists.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.responses import Response

from ._common import listing
from ._errors import InvalidRequest, NotFound
from ._paging import page
from ._registry import Call, Registry
from ._store import Store, StoredFile
from ._validation import Upload

routes = Registry()

FINE_TUNE_PURPOSE = "fine-tune"
SAMPLE_JSONL = b'{"prompt": "Say hi ->", "completion": " hi\\n"}\n'


def find_file(store: Store, file_id: str, param: str = "id") -> StoredFile:
    found = store.files.get(file_id)
    if found is None:
        raise NotFound(f"No such File object: {file_id}", param=param)
    return found


def modern_files(call: Call) -> bool:
    """Whether the served document has the 2.x file surface (it serves batches)."""
    return any(op.operation_id == "createBatch" for op in call.spec.operations)


def file_json(call: Call, stored: StoredFile) -> dict[str, Any]:
    """A file as the served document describes it (2.x: no ``status_details: null``)."""
    out = stored.to_json()
    if modern_files(call):
        del out["status_details"]
        expires = call.store.records.file_expiry.get(stored.id)
        if expires is not None:
            out["expires_at"] = expires
    return out


# The 2.x training formats: chat, prompt/completion, and preference pairs.
MODERN_TRAINING_KEYS = (
    frozenset({"messages"}),
    frozenset({"prompt", "completion"}),
    frozenset({"input", "preferred_output", "non_preferred_output"}),
)
SEED_TRAINING_KEYS = (frozenset({"prompt", "completion"}),)


def check_training_data(data: bytes, formats: tuple[frozenset[str], ...] = SEED_TRAINING_KEYS) -> None:
    """Fine-tune files are JSONL: each line an object with the keys of one format
    (the seed's ``prompt`` and ``completion``)."""
    try:
        lines = [line for line in data.decode("utf-8").splitlines() if line.strip()]
    except UnicodeDecodeError:
        raise InvalidRequest("Fine-tune files must be UTF-8 JSONL.", param="file") from None
    if not lines:
        raise InvalidRequest("The fine-tune file is empty: it needs at least one example.", param="file")
    for number, line in enumerate(lines, 1):
        try:
            record = json.loads(line)
        except ValueError:
            record = None
        if not isinstance(record, dict) or not any(keys <= record.keys() for keys in formats):
            wanted = " or ".join("/".join(sorted(keys)) for keys in formats)
            raise InvalidRequest(
                f"Invalid file format for fine-tune: line {number} is not a JSON object with the keys {wanted}."
                if formats != SEED_TRAINING_KEYS
                else f"Invalid file format for fine-tune: line {number} is not a JSON object with "
                "'prompt' and 'completion' keys.",
                param="file",
            )


def _fallback(_store: Store) -> dict[str, Any]:
    return {"file": Upload("data.jsonl", "application/jsonl", SAMPLE_JSONL), "purpose": FINE_TUNE_PURPOSE}


@routes.handles("createFile", fallback=_fallback)
async def create_file(call: Call) -> Any:
    upload: Upload = call.body["file"]
    purpose: str = call.body["purpose"]
    if not isinstance(upload, Upload):
        raise InvalidRequest("'file' must be a file part of the form.", param="file")
    modern = modern_files(call)
    if purpose == FINE_TUNE_PURPOSE:
        check_training_data(upload.data, MODERN_TRAINING_KEYS if modern else SEED_TRAINING_KEYS)
    stored = call.store.add_file(upload.filename, purpose, upload.data)
    seconds = _expiry_seconds(call.body)
    if modern and seconds is not None:
        call.store.records.file_expiry[stored.id] = stored.created_at + seconds
    return file_json(call, stored)


def _expiry_seconds(form: dict[str, Any]) -> int | None:
    """``expires_after.seconds`` of a form, as a JSON object or as the SDK's
    ``expires_after[seconds]`` field."""
    nested = form.get("expires_after")
    found = nested.get("seconds") if isinstance(nested, dict) else form.get("expires_after[seconds]")
    try:
        return int(found) if found is not None else None
    except (TypeError, ValueError):
        raise InvalidRequest("expires_after[seconds] must be an integer.", param="expires_after") from None


@routes.handles("listFiles")
async def list_files(call: Call) -> Any:
    if modern_files(call):
        purpose = call.query.get("purpose")
        files = [file_json(call, f) for f in call.store.files.values() if purpose is None or f.purpose == purpose]
        listed = page(files, call.query, limit=10_000)
        return {"first_id": "", "last_id": "", **listed}  # required strings, even when empty
    # ``has_more: false`` (later API versions) stops the official SDK's cursor paging,
    # which would otherwise ask again with ``after=`` for ever.
    return {**listing([stored.to_json() for stored in call.store.files.values()]), "has_more": False}


@routes.handles("retrieveFile")
async def retrieve_file(call: Call) -> Any:
    return file_json(call, find_file(call.store, call.path["file_id"]))


@routes.handles("deleteFile")
async def delete_file(call: Call) -> Any:
    stored = find_file(call.store, call.path["file_id"])
    if not call.has("delete_noop"):
        del call.store.files[stored.id]
    return {"id": stored.id, "object": "file", "deleted": True}


@routes.handles("downloadFile")
async def download_file(call: Call) -> Any:
    """The exact bytes uploaded. The spec documents ``application/json`` with a string
    schema; the real API sends the raw bytes, and so does this server."""
    stored = find_file(call.store, call.path["file_id"])
    data = stored.data + b"\n" if call.has("file_content_altered") else stored.data
    return Response(
        data,
        media_type="application/octet-stream",
        headers={"Content-Disposition": f'attachment; filename="{stored.filename}"'},
    )
