"""Files: multipart upload kept in memory, list, retrieve, download, delete."""

from __future__ import annotations

import json
from typing import Any

from starlette.responses import Response

from ._common import listing
from ._errors import InvalidRequest, NotFound
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


def check_training_data(data: bytes) -> None:
    """Fine-tune files are JSONL: each line an object with ``prompt`` and ``completion``."""
    try:
        lines = [line for line in data.decode("utf-8").splitlines() if line.strip()]
    except UnicodeDecodeError:
        raise InvalidRequest("Fine-tune files must be UTF-8 JSONL.", param="file") from None
    if not lines:
        raise InvalidRequest("The fine-tune file is empty: it needs at least one example.",
                             param="file")
    for number, line in enumerate(lines, 1):
        try:
            record = json.loads(line)
        except ValueError:
            record = None
        if not isinstance(record, dict) or not {"prompt", "completion"} <= record.keys():
            raise InvalidRequest(
                f"Invalid file format for fine-tune: line {number} is not a JSON object with "
                "'prompt' and 'completion' keys.", param="file")


def _fallback(_store: Store) -> dict[str, Any]:
    return {"file": Upload("data.jsonl", "application/jsonl", SAMPLE_JSONL),
            "purpose": FINE_TUNE_PURPOSE}


@routes.handles("createFile", fallback=_fallback)
async def create_file(call: Call) -> Any:
    upload: Upload = call.body["file"]
    purpose: str = call.body["purpose"]
    if not isinstance(upload, Upload):
        raise InvalidRequest("'file' must be a file part of the form.", param="file")
    if purpose == FINE_TUNE_PURPOSE:
        check_training_data(upload.data)
    return call.store.add_file(upload.filename, purpose, upload.data).to_json()


@routes.handles("listFiles")
async def list_files(call: Call) -> Any:
    # ``has_more: false`` (later API versions) stops the official SDK's cursor paging,
    # which would otherwise ask again with ``after=`` for ever.
    return {**listing([stored.to_json() for stored in call.store.files.values()]),
            "has_more": False}


@routes.handles("retrieveFile")
async def retrieve_file(call: Call) -> Any:
    return find_file(call.store, call.path["file_id"]).to_json()


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
    return Response(data, media_type="application/octet-stream",
                    headers={"Content-Disposition": f'attachment; filename="{stored.filename}"'})
