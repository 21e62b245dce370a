"""The hand-written 2.x state a ``Store`` holds: which catalogue is served, the
Responses API's responses, and chat completions asked to be stored."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ._catalogue import MODELS, MODERN_CREATED, MODERN_MODELS, base_model, model_object

if TYPE_CHECKING:
    from openai_conformance.spec import Spec


@dataclass
class StoredResponse:
    """A Responses API response, with what it was asked (for input items and chaining)."""

    response: dict[str, Any]
    input_items: list[dict[str, Any]]
    # the conversation so far, as messages: what previous_response_id continues
    history: list[dict[str, Any]]
    # a background response still running: (the request body, what it will produce)
    pending: tuple[dict[str, Any], Any] | None = None


@dataclass
class ModernState:
    """The catalogue of the served document, and the 2.x objects of this run."""

    models: dict[str, str]  # id -> owned_by
    current: bool  # a 2.x document with the Responses API: the current catalogue only
    responses: dict[str, StoredResponse] = field(default_factory=dict)
    # completion id -> {"completion": ..., "messages": [...], "metadata": {...}}
    stored_completions: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def seed(cls) -> ModernState:
        return cls(dict(MODELS), current=False)

    @classmethod
    def for_spec(cls, spec: Spec) -> ModernState:
        """The current catalogue for a document with the Responses API; the seed's, and
        the chat models, for the 1.x/2.0 documents that have chat completions."""
        ops = {op.operation_id for op in spec.operations}
        if "createResponse" in ops:
            return cls(dict(MODERN_MODELS), current=True)
        if "createChatCompletion" in ops:
            return cls({**MODELS, **MODERN_MODELS}, current=False)
        return cls.seed()

    def has_model(self, model_id: str) -> bool:
        """A listed id, or (2.x) a dated snapshot of one (``gpt-4o-2024-05-13``)."""
        if model_id in self.models:
            return True
        return self.current and base_model(model_id) in self.models

    def catalogue(self) -> dict[str, dict[str, Any]]:
        """Every listed model id -> its ``Model`` JSON."""
        if not self.current:
            return {mid: model_object(mid, owner) for mid, owner in self.models.items()}
        return {mid: {"id": mid, "object": "model", "created": MODERN_CREATED, "owned_by": owner}
                for mid, owner in self.models.items()}
