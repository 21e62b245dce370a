"""The catalogue of checks: every check, its one-line description and its source.

Per-response checks are functions registered in ``_checks_spec``,
``_checks_semantic`` and ``_checks_stream``; the ones declared here need
several requests, so the auth probe and the stateful workflows apply them.
"""

from __future__ import annotations

from . import (  # noqa: F401 - they register
    _checks_chat,
    _checks_chat_stream,
    _checks_responses,
    _checks_responses_stream,
    _checks_semantic,
    _checks_spec,
    _checks_stream,
)
from ._checks_base import CHECKS, Check, CheckContext, Response

CHECKS.declare(
    "auth_required",
    "A request without a key, or with a wrong key, gets 401 with the error envelope.",
    source="convention",
)
CHECKS.declare(
    "positive_accepted",
    "An operation accepts (2xx) at least one of the requests valid against its request schema.",
    source="convention",
)
CHECKS.declare(
    "transport",
    "Every request gets a complete response within the deadline and the size caps.",
    source="convention",
)
CHECKS.declare(
    "file_roundtrip",
    "A file uploaded is listed, retrieved with its metadata, and downloads as the exact bytes sent.",
    source="semantics",
)
CHECKS.declare(
    "delete_effective",
    "After a delete answers deleted: true, retrieving the object gives 404.",
    source="semantics",
)
CHECKS.declare(
    "fine_tune_lifecycle",
    "A fine-tune created from an uploaded file is retrievable, listed, has events, and cancel cancels it.",
    source="semantics",
)
CHECKS.declare(
    "models_consistent",
    "Every listed model can be retrieved, and retrieving it gives what the list said.",
    source="semantics",
)

CHECKS.declare(
    "response_roundtrip",
    "A stored response is retrieved as created, lists its input items, and is 404 after deleteResponse.",
    source="semantics",
)
CHECKS.declare(
    "stored_completion_roundtrip",
    "A store: true chat completion is retrievable, listed, takes a metadata update, lists its messages, "
    "and is 404 after delete.",
    source="semantics",
)
CHECKS.declare(
    "batch_lifecycle",
    "A completed batch's output file answers every input line, matched by custom_id.",
    source="semantics",
)
CHECKS.declare(
    "fine_tuning_job_lifecycle",
    "A fine_tuning job created from an uploaded file lists events, and cancel makes it cancelled.",
    source="semantics",
)

__all__ = ["CHECKS", "Check", "CheckContext", "Response"]
