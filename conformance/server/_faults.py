"""The fault catalogue: named ways to make the reference server wrong on purpose.

Each fault changes only what its name says, so that a test can prove the one
check named in ``Fault.check`` catches it (and that nothing else fires).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from ._faults_modern import MODERN_CATALOGUE


@dataclass(frozen=True)
class Fault:
    """One fault: its name, what it breaks, and the suite check that must catch it."""

    name: str
    description: str
    check: str | None  # None: an operational fault, counted but not a finding


_CATALOGUE: tuple[tuple[str, str, str | None], ...] = (
    ("missing_required_field", "completion responses (not streamed) lack the required 'created'", "response_schema"),
    ("wrong_field_type", "completion responses (not streamed) give 'created' as a string", "response_schema"),
    ("null_not_nullable", "completion choices (not streamed) carry 'text': null", "response_schema"),
    ("undocumented_status", "successful creates (POST) answer 201 instead of 200", "status_code"),
    ("wrong_content_type", "JSON bodies are labelled text/plain", "content_type"),
    ("server_error", "500 for JSON requests that set 'temperature' or send an array prompt/input", "server_error"),
    ("no_validation", "invalid requests are accepted: 200 with a plausible body", "negative_rejected"),
    ("bare_errors", 'error bodies lack the {"error": {...}} envelope', "error_envelope"),
    ("no_auth", "a missing or wrong API key is accepted", "auth_required"),
    ("ignore_n", "completions and edits return one choice per prompt whatever 'n' says", "choices_count"),
    ("wrong_choice_index", "every completion and edit choice has index 0", "choice_indices"),
    ("usage_mismatch", "usage.total_tokens is one more than prompt + completion", "usage_arithmetic"),
    ("exceed_max_tokens", "completions generate max_tokens + 3 tokens", "max_tokens_respected"),
    ("keep_stop_sequence", "completion text keeps the stop sequence it stopped at", "stop_respected"),
    ("ignore_echo", "completion text never starts with the prompt, even with echo", "echo_respected"),
    ("logprobs_too_many", "top_logprobs entries hold logprobs + 2 tokens (the API allows + 1)", "logprobs_shape"),
    ("embedding_wrong_dimension", "embeddings have one dimension too few", "embedding_count_order_dimension"),
    (
        "embedding_out_of_order",
        "embeddings of several inputs come back in reverse order",
        "embedding_count_order_dimension",
    ),
    ("moderation_inconsistent", "moderation results are flagged with no category true", "moderation_results"),
    ("image_wrong_size", "generated images are half the requested size", "image_count_size_format"),
    ("file_content_altered", "file downloads add a trailing newline to the bytes", "file_roundtrip"),
    ("delete_noop", "deletes answer deleted: true but the file or model stays", "delete_effective"),
    ("stream_no_done", "streams end without 'data: [DONE]'", "stream_format"),
    ("stream_bad_json", "the first stream event is not valid JSON", "stream_format"),
    ("cancel_noop", "fine-tune cancel answers but the status does not become cancelled", "fine_tune_lifecycle"),
    ("fine_tuning_cancel_noop", "fine_tuning job cancel answers but the status stays", "fine_tuning_job_lifecycle"),
    ("batch_output_mismatch", "batch output lines carry the wrong custom_id (-x appended)", "batch_lifecycle"),
    (
        "stored_completion_not_listed",
        "stored chat completions are missing from the list",
        "stored_completion_roundtrip",
    ),
    ("models_inconsistent", "retrieving a model gives a different owned_by than the list", "models_consistent"),
    ("example_shape_drift", "completion usage omits the required 'total_tokens' the example shows", "example_shape"),
    ("edits_not_implemented", "the /edits route answers 404", "not_implemented"),
    ("reject_valid_searches", "valid search requests answer 400 in the envelope, as if invalid", "positive_accepted"),
    ("rate_limited", "every 5th request answers 429 with Retry-After: 0.05", None),
    ("slow_responses", "every response is delayed by 2 seconds (for timeout tests)", None),
)

FAULTS: Mapping[str, Fault] = MappingProxyType(
    {name: Fault(name, description, check) for name, description, check in _CATALOGUE + MODERN_CATALOGUE}
)


def check_faults(names: Iterable[str]) -> frozenset[str]:
    """The set of fault names, refusing unknown ones with a one-line ``ValueError``."""
    chosen = frozenset(names)
    unknown = sorted(chosen - FAULTS.keys())
    if unknown:
        raise ValueError(f"unknown fault(s): {', '.join(unknown)} (see --list-faults)")
    return chosen
