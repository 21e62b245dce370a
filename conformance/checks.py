"""The catalogue of checks: every check, its one-line description and its source.

Per-response checks are functions registered in ``_checks_spec``,
``_checks_semantic`` and ``_checks_stream``; the ones declared here need
several requests, so the auth probe and the stateful workflows apply them.
"""

from __future__ import annotations

from . import _checks_semantic, _checks_spec, _checks_stream  # noqa: F401 - they register
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

__all__ = ["CHECKS", "Check", "CheckContext", "Response"]
