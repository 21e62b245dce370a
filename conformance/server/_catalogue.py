"""The fixed model catalogue: ids the spec's examples use, with their owners.

Data, not code: ``MODELS`` maps an id to (owner, created); embedding dimensions
and context lengths are per-model tables with a default.
"""

from __future__ import annotations

from types import MappingProxyType

_CREATED = 1649358449  # a fixed date (2022-04-07) keeps responses deterministic

MODELS: MappingProxyType[str, str] = MappingProxyType(
    {
        # id -> owned_by
        "text-davinci-003": "openai-internal",
        "text-davinci-002": "openai",
        "text-davinci-001": "openai",
        "text-curie-001": "openai",
        "text-babbage-001": "openai",
        "text-ada-001": "openai",
        "text-davinci-edit-001": "openai",
        "code-davinci-edit-001": "openai",
        "code-davinci-002": "openai",
        "code-cushman-001": "openai",
        "text-embedding-ada-002": "openai-internal",
        "text-similarity-ada-001": "openai-dev",
        "text-search-ada-doc-001": "openai-dev",
        "text-moderation-latest": "openai",
        "text-moderation-stable": "openai",
        "text-moderation-001": "openai",
        "ada": "openai",
        "babbage": "openai",
        "curie": "openai",
        "davinci": "openai",
        "curie:2020-05-03": "openai",
        # The spec's examples use this placeholder where a real id belongs.
        "VAR_model_id": "openai",
    }
)

EMBEDDING_DIMENSIONS: MappingProxyType[str, int] = MappingProxyType(
    {
        "text-embedding-ada-002": 1536,
        "text-similarity-ada-001": 1024,
        "text-search-ada-doc-001": 1024,
        "ada": 1024,
        "babbage": 2048,
        "curie": 4096,
        "davinci": 12288,
    }
)
DEFAULT_EMBEDDING_DIMENSION = 1536

CONTEXT_LENGTHS: MappingProxyType[str, int] = MappingProxyType(
    {"text-davinci-003": 4097, "text-davinci-002": 4097, "code-davinci-002": 8001}
)
DEFAULT_CONTEXT_LENGTH = 2049

ORGANIZATION = "org-conformance"


def model_object(model_id: str, owned_by: str, created: int = _CREATED) -> dict[str, object]:
    """A ``Model`` as the API lists it (``permission`` as in the spec's example)."""
    return {
        "id": model_id,
        "object": "model",
        "created": created,
        "owned_by": owned_by,
        "permission": [],
        "root": model_id.split(":")[0],
        "parent": None,
    }


def engine_object(model_id: str, owned_by: str) -> dict[str, object]:
    """An ``Engine`` (deprecated API): the same catalogue under its older name."""
    return {
        "id": model_id,
        "object": "engine",
        "created": _CREATED,
        "owner": owned_by,
        "ready": True,
    }
