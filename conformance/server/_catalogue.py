"""The fixed model catalogue: ids the spec's examples use, with their owners.

Data, not code: ``MODELS`` maps an id to (owner, created); embedding dimensions
and context lengths are per-model tables with a default.
"""

from __future__ import annotations

import re
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
    return {"id": model_id, "object": "engine", "created": _CREATED, "owner": owned_by, "ready": True}


# --- the 2.x catalogue ------------------------------------------------------
# Real model ids of the 2.x documents (the enums of ModelIdsShared, ModelIdsResponses
# and the embedding, moderation, image and audio requests), served instead of the
# seed's catalogue when the document is a 2.x one.
_MODERN_IDS = """
gpt-5.5 gpt-5.5-2026-04-23 gpt-5.5-pro gpt-5.4 gpt-5.4-mini gpt-5.4-nano gpt-5.2 gpt-5.2-pro
gpt-5.2-chat-latest gpt-5.1 gpt-5.1-mini gpt-5.1-codex gpt-5.1-chat-latest gpt-5 gpt-5-mini
gpt-5-nano gpt-5-pro gpt-5-codex gpt-5-chat-latest gpt-4.1 gpt-4.1-mini gpt-4.1-nano
o4-mini o3 o3-mini o3-pro o1 o1-mini o1-pro gpt-4o gpt-4o-mini gpt-4o-audio-preview
gpt-4o-search-preview chatgpt-4o-latest gpt-4-turbo gpt-4 gpt-3.5-turbo
text-embedding-3-small text-embedding-3-large text-embedding-ada-002
omni-moderation-latest omni-moderation-2024-09-26 text-moderation-latest text-moderation-stable
gpt-image-1 gpt-image-1-mini gpt-image-1.5 dall-e-3 dall-e-2
whisper-1 gpt-4o-transcribe gpt-4o-mini-transcribe tts-1 tts-1-hd gpt-4o-mini-tts
gpt-realtime gpt-realtime-mini davinci-002 babbage-002 gpt-3.5-turbo-instruct
""".split()
# Snapshots the catalogue lists as models of their own (the API lists them too).
_MODERN_SNAPSHOTS = """
gpt-4o-2024-11-20 gpt-4o-2024-08-06 gpt-4o-2024-05-13 gpt-4o-mini-2024-07-18
gpt-4.1-2025-04-14 gpt-4.1-mini-2025-04-14 gpt-4.1-nano-2025-04-14 gpt-5-2025-08-07
gpt-5-mini-2025-08-07 gpt-5-nano-2025-08-07 gpt-5.1-2025-11-13 gpt-5.2-2025-12-11
o3-2025-04-16 o4-mini-2025-04-16 o3-mini-2025-01-31 o1-2024-12-17
""".split()
_OWNERS = {
    "text-moderation-latest": "openai",
    "text-moderation-stable": "openai",
    "dall-e-2": "system",
    "whisper-1": "openai-internal",
    "tts-1": "openai-internal",
    "text-embedding-ada-002": "openai-internal",
    "babbage-002": "system",
}
MODERN_MODELS: MappingProxyType[str, str] = MappingProxyType(
    {mid: _OWNERS.get(mid, "system") for mid in _MODERN_IDS + _MODERN_SNAPSHOTS}
)
MODERN_CREATED = 1715367049  # a fixed date (2024-05-10)

MODERN_EMBEDDING_DIMENSIONS: MappingProxyType[str, int] = MappingProxyType(
    {"text-embedding-3-small": 1536, "text-embedding-3-large": 3072, "text-embedding-ada-002": 1536}
)
# Models whose embeddings can be shortened by ``dimensions`` (ada-002 cannot).
SHORTENABLE = frozenset({"text-embedding-3-small", "text-embedding-3-large"})

_SNAPSHOT = re.compile(r"-(\d{4}-\d{2}-\d{2}|\d{4})$")


def base_model(model_id: str) -> str:
    """The model a dated snapshot is of (``gpt-4o-2024-08-06`` -> ``gpt-4o``), else the id."""
    return _SNAPSHOT.sub("", model_id)


def snapshot_of(model_id: str) -> str:
    """The dated snapshot an alias answers as (the API answers ``gpt-4o`` as a snapshot)."""
    for snapshot in _MODERN_SNAPSHOTS:
        if base_model(snapshot) == model_id:
            return snapshot
    return model_id
