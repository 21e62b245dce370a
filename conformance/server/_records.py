"""The state of the 2.x surface: uploads, batches, fine-tuning jobs, stored chat
completions and the schema-driven collections, held by the ``Store`` as ``records``."""

from __future__ import annotations

import builtins
import itertools
from dataclasses import dataclass, field
from typing import Any

from ._common import derived_id


@dataclass
class UploadRecord:
    """A multipart upload: parts arrive one by one, complete makes them one file."""

    id: str
    filename: str
    purpose: str
    bytes: int
    mime_type: str
    created_at: int
    expires_at: int
    status: str = "pending"
    parts: dict[str, builtins.bytes] = field(default_factory=dict)  # the field above is named bytes
    file: dict[str, Any] | None = None


@dataclass
class Records:
    """Everything the 2.x handlers remember, by kind; ids deterministic within a run."""

    uploads: dict[str, UploadRecord] = field(default_factory=dict)
    file_expiry: dict[str, int] = field(default_factory=dict)  # file id -> expires_at
    batches: dict[str, dict[str, Any]] = field(default_factory=dict)
    fine_tuning_jobs: dict[str, Any] = field(default_factory=dict)
    stored_completions: dict[str, Any] = field(default_factory=dict)
    # schema-driven collections: concrete collection path -> item id -> object
    collections: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    # ids deleted from collections nobody can create in (pre-existing objects)
    deleted: set[tuple[str, str]] = field(default_factory=set)
    _counter: Any = field(default_factory=lambda: itertools.count(1), repr=False)

    def new_id(self, prefix: str, length: int = 24, sep: str = "_") -> str:
        """``<prefix><sep><random-looking chars>``: OpenAI's ``batch_...``, ``ftjob-...``."""
        return derived_id(prefix, next(self._counter), length, sep)
