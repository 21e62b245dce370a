"""The server's memory: uploaded files, fine-tune jobs, fine-tuned models, images.

One ``Store`` per app. Every access happens on the event loop thread, so plain
dicts suffice. Ids are deterministic within a run (a counter through a hash).
"""

from __future__ import annotations

import base64
import itertools
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from ._catalogue import ORGANIZATION, model_object
from ._common import derived_id
from ._modern import ModernState
from ._records import Records

_IMAGE_CACHE = 256  # generated images kept for their URLs; the oldest go first


@dataclass
class StoredFile:
    id: str
    filename: str
    purpose: str
    data: bytes
    created_at: int

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "object": "file",
            "bytes": len(self.data),
            "created_at": self.created_at,
            "filename": self.filename,
            "purpose": self.purpose,
            "status": "processed",
            "status_details": None,
        }


# The lifecycle of a fine-tune: each retrieve moves it one step along.
TERMINAL = frozenset({"succeeded", "cancelled", "failed"})


@dataclass
class FineTuneJob:
    id: str
    model: str
    created_at: int
    hyperparams: dict[str, Any]
    training_files: list[StoredFile]
    validation_files: list[StoredFile]
    suffix: str | None
    status: str = "pending"
    updated_at: int = 0
    fine_tuned_model: str | None = None
    result_files: list[StoredFile] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)

    def event(self, message: str) -> None:
        self.events.append(
            {"object": "fine-tune-event", "created_at": self.updated_at, "level": "info", "message": message}
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "object": "fine-tune",
            "model": self.model,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "events": list(self.events),
            "fine_tuned_model": self.fine_tuned_model,
            "hyperparams": dict(self.hyperparams),
            "organization_id": ORGANIZATION,
            "result_files": [f.to_json() for f in self.result_files],
            "status": self.status,
            "validation_files": [f.to_json() for f in self.validation_files],
            "training_files": [f.to_json() for f in self.training_files],
        }


# The objects the spec's x-oaiMeta examples name, present from the start so that
# replaying an example (``GET /files/file-XjGx...``) finds what it asks for.
EXAMPLE_JSONL = b'{"prompt": "Puppy A is happy ->", "completion": " happy"}\n'
EXAMPLE_FILES = (
    ("file-XjGxS3KTG0uNmNOK362iJua3", "mydata.jsonl", 1613779121),
    ("file-XGinujblHPwGLSztz8cPS8XY", "my-data-train.jsonl", 1610062281),
)
EXAMPLE_FINE_TUNE = ("ft-AF1WoRqd3aJAHsqc9NY7iL8F", "curie", 1614807352)
EXAMPLE_MODEL = ("curie:ft-acmeco-2021-03-03-21-44-20", 1614807861)


class Store:
    """All state of one server; created with the app, gone with it."""

    def __init__(self, *, examples: bool = True, modern: ModernState | None = None) -> None:
        self._counter = itertools.count(1)
        self.files: dict[str, StoredFile] = {}
        self.fine_tunes: dict[str, FineTuneJob] = {}
        # Fine-tuned models: id -> Model JSON. Base models come from the catalogue.
        self.fine_tuned_models: dict[str, dict[str, Any]] = {}
        self.images: OrderedDict[str, bytes] = OrderedDict()
        self.requests = 0  # counted for the rate_limited fault
        self.records = Records()  # the 2.x surface (uploads, batches, jobs, collections)
        # The hand-written 2.x state (catalogue, responses, stored chat completions).
        self.modern = modern or ModernState.seed()
        if examples:
            self._add_examples()

    def _add_examples(self) -> None:
        for file_id, filename, created in EXAMPLE_FILES:
            self.files[file_id] = StoredFile(file_id, filename, "fine-tune", EXAMPLE_JSONL, created)
        job_id, model, created = EXAMPLE_FINE_TUNE
        job = FineTuneJob(
            job_id,
            model,
            created,
            {"batch_size": 4, "learning_rate_multiplier": 0.1, "n_epochs": 4, "prompt_loss_weight": 0.1},
            [self.files[EXAMPLE_FILES[1][0]]],
            [],
            None,
            updated_at=created,
        )
        job.event(f"Created fine-tune: {job_id}")
        job.event("Job enqueued. Waiting for jobs ahead to complete. Queue number: 0.")
        self.fine_tunes[job_id] = job
        model_id, created = EXAMPLE_MODEL
        self.fine_tuned_models[model_id] = model_object(model_id, ORGANIZATION, created)

    def new_id(self, prefix: str, length: int = 24) -> str:
        return derived_id(prefix, next(self._counter), length, "-")

    # --- files -------------------------------------------------------------
    def add_file(self, filename: str, purpose: str, data: bytes) -> StoredFile:
        stored = StoredFile(self.new_id("file"), filename, purpose, data, int(time.time()))
        self.files[stored.id] = stored
        return stored

    # --- models ------------------------------------------------------------
    def models(self) -> dict[str, dict[str, Any]]:
        """Every model id -> its ``Model`` JSON: the catalogue, then fine-tuned ones."""
        listed = self.modern.catalogue()
        listed.update(self.fine_tuned_models)
        return listed

    def has_model(self, model_id: str) -> bool:
        return self.modern.has_model(model_id) or model_id in self.fine_tuned_models

    # --- images ------------------------------------------------------------
    def keep_image(self, png: bytes) -> str:
        image_id = self.new_id("img")
        self.images[image_id] = png
        while len(self.images) > _IMAGE_CACHE:
            self.images.popitem(last=False)
        return image_id


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
