"""The 1.x legacy surface (2022-23): completions, edits, engines, fine-tunes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .._bodies import objects_in
from ._protocol import Housekeeping, Workflow

if TYPE_CHECKING:
    from openai_conformance.spec import Spec

# Dimensions the API documents for its embedding models.
EMBEDDING_DIMENSIONS = {"text-embedding-ada-002": 1536, "text-embedding-3-small": 1536, "text-embedding-3-large": 3072}


def body_of(response: Any) -> dict[str, Any]:
    return response.json if response is not None and isinstance(response.json, dict) else {}


@dataclass(frozen=True)
class LegacyProfile:
    name: str = "legacy-1.x"
    owned_kinds: Mapping[str, str | None] = field(
        default_factory=lambda: {"file": "file_ids", "fine-tune": "fine_tune_ids", "model": "models"}
    )
    embedding_dimensions: Mapping[str, int] = field(default_factory=lambda: dict(EMBEDDING_DIMENSIONS))
    checks: frozenset[str] = frozenset({"fine_tune_lifecycle"})

    @property
    def workflows(self) -> Mapping[str, tuple[Workflow, tuple[str, ...]]]:
        # The workflows are the engine's, and the engine reads the profiles: they load on use.
        from openai_conformance.engine._stateful import WORKFLOWS

        return dict(WORKFLOWS)

    def recognises(self, spec: Spec) -> bool:
        return any(op.path.startswith(("/fine-tunes", "/engines")) for op in spec.operations)

    def clean_up(self, ids: Mapping[str, list[str]], send: Housekeeping) -> list[str]:
        """Cancel running fine-tunes; delete the models they made; their result files are returned."""
        models, files = list(ids.get("model", ())), list(ids.get("file", ()))
        for fine_tune in ids.get("fine-tune", ()):
            body = body_of(send("retrieveFineTune", f"/fine-tunes/{fine_tune}"))
            if body.get("status") in ("pending", "running"):
                send("cancelFineTune", f"/fine-tunes/{fine_tune}/cancel")
            if isinstance(body.get("fine_tuned_model"), str):
                models.append(body["fine_tuned_model"])
            files += [f["id"] for f in objects_in(body, "result_files") if isinstance(f.get("id"), str)]
        for model in dict.fromkeys(models):
            send("deleteModel", f"/models/{model}")
        return files


LEGACY = LegacyProfile()
