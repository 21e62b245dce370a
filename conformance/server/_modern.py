"""The hand-written 2.x state a ``Store`` holds: which catalogue is served, the
Responses API's responses, and chat completions asked to be stored."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ._catalogue import MODELS, MODERN_CREATED, MODERN_MODELS, base_model, model_object

if TYPE_CHECKING:
    from openai_conformance.spec import Spec


# The response ids the newest document's x-oaiMeta examples name: present from the
# start, so that replaying an example (``GET /responses/resp_123``) finds what it asks.
EXAMPLE_RESPONSE_IDS = """
resp_001 resp_002 resp_123 resp_1234 resp_12345 resp_abc123 resp_C9G8p7IH2WxLbkgPNouYL
resp_CCXHw0UJld10EzIUXQCNh resp_677efb5139a88190b512bc3fef8e535d
resp_6786a1bec27481909a17d673315b29f6 resp_67c9fdcecf488190bdd9a0409de3a1ec07b8b0ad4e5eb654
resp_67ca09c5efe0819096d0511c92b8c890096610f474011cc0
resp_67cb71b351908190a308f3859487620d06981a8637e6bc44
resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b
resp_67ccd3a9da748190baa7f1570fe91ac604becb25c45c1d41
resp_67ccd7eca01881908ff0b5146584e408072912b2993db808
resp_67ccf18ef5fc8190b16dbee19bc54e5f087bb177ab789d5c
resp_67ccf4c55fc48190b71bd0463ad3306d09504fb6872380d7
resp_67ccfcdd16748190a91872c75d38539e09e4d4aac714747c
resp_686eef60237881a2bd1180bb8b13de430e34c516d176ff86
""".split()
EXAMPLE_INPUT = "Tell me a three sentence bedtime story about a unicorn."


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
    examples_added: bool = False  # the example responses are made on first use

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
        return {
            mid: {"id": mid, "object": "model", "created": MODERN_CREATED, "owned_by": owner, "shutdown_date": None}
            for mid, owner in self.models.items()
        }
