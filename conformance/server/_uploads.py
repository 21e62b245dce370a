"""Uploads: a file sent in parts (createUpload, addUploadPart, completeUpload,
cancelUpload); completing joins the parts in the asked order into one File."""

from __future__ import annotations

import hashlib
from typing import Any

from ._common import now
from ._errors import InvalidRequest, NotFound
from ._records import UploadRecord
from ._registry import Call, Registry
from ._routes_files import FINE_TUNE_PURPOSE, MODERN_TRAINING_KEYS, check_training_data, file_json
from ._validation import Upload

routes = Registry()

UPLOAD_LIFETIME = 3600  # seconds: an upload not completed within an hour expires
MAX_UPLOAD_BYTES = 8 * 1024**3
SAMPLE_PART = b'{"messages": [{"role": "user", "content": "hi"}]}\n'


def upload_json(record: UploadRecord) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": record.id,
        "object": "upload",
        "bytes": record.bytes,
        "created_at": record.created_at,
        "filename": record.filename,
        "purpose": record.purpose,
        "status": record.status,
        "expires_at": record.expires_at,
    }
    if record.file is not None:  # documented as a File, not nullable: absent until completed
        out["file"] = record.file
    return out


def _find(call: Call) -> UploadRecord:
    upload_id = call.path["upload_id"]
    found = call.store.records.uploads.get(upload_id)
    if found is None:
        raise NotFound(f"No such Upload: {upload_id}", param="upload_id")
    return found


def _pending(record: UploadRecord) -> UploadRecord:
    if record.status != "pending":
        raise InvalidRequest(f"Upload {record.id} is {record.status}: it takes no more changes.", param="upload_id")
    return record


@routes.handles(
    "createUpload",
    fallback={"filename": "data.jsonl", "purpose": "batch", "bytes": len(SAMPLE_PART), "mime_type": "text/jsonl"},
)
async def create_upload(call: Call) -> Any:
    body = call.body
    size = body["bytes"]
    if not 0 < size <= MAX_UPLOAD_BYTES:
        raise InvalidRequest(f"bytes must be between 1 and {MAX_UPLOAD_BYTES}.", param="bytes")
    created = now()
    record = UploadRecord(
        id=call.store.records.new_id("upload"),
        filename=body["filename"],
        purpose=body["purpose"],
        bytes=size,
        mime_type=body["mime_type"],
        created_at=created,
        expires_at=created + UPLOAD_LIFETIME,
    )
    call.store.records.uploads[record.id] = record
    return upload_json(record)


def _part_fallback(_store: Any) -> dict[str, Any]:
    return {"data": Upload("part", "application/octet-stream", SAMPLE_PART)}


@routes.handles("addUploadPart", fallback=_part_fallback)
async def add_upload_part(call: Call) -> Any:
    record = _pending(_find(call))
    data = call.body["data"]
    if not isinstance(data, Upload):
        raise InvalidRequest("'data' must be a file part of the form.", param="data")
    part_id = call.store.records.new_id("part")
    record.parts[part_id] = data.data
    return {"id": part_id, "object": "upload.part", "created_at": now(), "upload_id": record.id}


@routes.handles("completeUpload", fallback={"part_ids": []})
async def complete_upload(call: Call) -> Any:
    record = _pending(_find(call))
    part_ids: list[str] = call.body["part_ids"]
    unknown = [p for p in part_ids if p not in record.parts]
    if unknown:
        raise InvalidRequest(f"Part {unknown[0]} is not a part of upload {record.id}.", param="part_ids")
    data = b"".join(record.parts[p] for p in part_ids)
    if len(data) != record.bytes:
        raise InvalidRequest(
            f"The parts hold {len(data)} bytes; the upload was created for {record.bytes}.", param="part_ids"
        )
    md5 = call.body.get("md5")
    if md5 and md5 != hashlib.md5(data).hexdigest():  # noqa: S324 - a checksum, not security
        raise InvalidRequest("The md5 checksum does not match the parts.", param="md5")
    if record.purpose == FINE_TUNE_PURPOSE:
        check_training_data(data, MODERN_TRAINING_KEYS)
    stored = call.store.add_file(record.filename, record.purpose, data)
    record.file = file_json(call, stored)
    record.status = "completed"
    return upload_json(record)


@routes.handles("cancelUpload")
async def cancel_upload(call: Call) -> Any:
    record = _pending(_find(call))
    record.status = "cancelled"
    return upload_json(record)
