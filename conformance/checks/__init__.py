"""The catalogue of checks: every check, its one-line description and its source.

Per-response checks are functions registered in the modules beside this one
(``_spec``, ``_semantic``, ``_stream``, ``_chat``, ``_responses``, ...), each
listing its own in ``CHECKS_HERE``; the ones declared here need several
requests, so the auth probe and the stateful workflows apply them.
"""

from __future__ import annotations

from . import _chat, _chat_stream, _responses, _responses_stream, _semantic, _spec, _stream
from ._base import Check, CheckContext, Registry, Response, declared

# Applied by the auth probe, the acceptance verdict, the transport, the workflows and --compare-to.
DECLARED = (
    declared(
        "auth_required",
        "A request without a key, or with a wrong key, gets 401 with the error envelope.",
        source="convention",
    ),
    declared(
        "positive_accepted",
        "An operation accepts (2xx) at least one of the requests valid against its request schema.",
        source="convention",
    ),
    declared(
        "valid_accepted",
        "Each request valid against its request schema is accepted, unless the API itself refuses it "
        "(an unknown model, the context length, a rule between properties or of the model asked); "
        "a warning, one per property the refusals name.",
        source="convention",
        severity="warning",
    ),
    declared(
        "transport",
        "Every request gets a complete response within the deadline and the size caps.",
        source="convention",
    ),
    declared(
        "file_roundtrip",
        "A file uploaded is listed, retrieved with its metadata, and downloads as the exact bytes sent.",
        source="semantics",
    ),
    declared(
        "delete_effective", "After a delete answers deleted: true, retrieving the object gives 404.", source="semantics"
    ),
    declared(
        "fine_tune_lifecycle",
        "A fine-tune created from an uploaded file is retrievable, listed, has events, and cancel cancels it.",
        source="semantics",
    ),
    declared(
        "models_consistent",
        "Every listed model can be retrieved, and retrieving it gives what the list said.",
        source="semantics",
    ),
    declared(
        "response_roundtrip",
        "A stored response is retrieved as created, lists its input items, and is 404 after deleteResponse.",
        source="semantics",
    ),
    declared(
        "stored_completion_roundtrip",
        "A store: true chat completion is retrievable, listed, takes a metadata update, lists its messages, "
        "and is 404 after delete.",
        source="semantics",
    ),
    declared(
        "differs_from_reference",
        "With --compare-to, the target answers each case as the reference does: the same status class, "
        "error or success, checks' verdicts and set of keys (values such as ids and text aside).",
        source="convention",
    ),
    declared(
        "batch_lifecycle",
        "A completed batch's output file answers every input line, matched by custom_id.",
        source="semantics",
    ),
    declared(
        "fine_tuning_job_lifecycle",
        "A fine_tuning job created from an uploaded file lists events, and cancel makes it cancelled.",
        source="semantics",
    ),
)

# The one place the catalogue is made: the document's rules first, then the API's semantics
# (1.x, chat, Responses), then what workflows and probes apply.
CHECKS = Registry(
    *_spec.CHECKS_HERE,
    *_stream.CHECKS_HERE,
    *_semantic.CHECKS_HERE,
    *_chat.CHECKS_HERE,
    *_chat_stream.CHECKS_HERE,
    *_responses.CHECKS_HERE,
    *_responses_stream.CHECKS_HERE,
    *DECLARED,
)

__all__ = ["CHECKS", "Check", "CheckContext", "Response"]
