"""The 2.x surface: chat completions (stored), Responses, batches, fine_tuning jobs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ._legacy import EMBEDDING_DIMENSIONS, body_of
from ._protocol import Housekeeping, Workflow

if TYPE_CHECKING:
    from openai_conformance.spec import Spec

# Statuses (from the document's FineTuningJob and Batch schemas) in which a job still runs.
_JOB_RUNNING = ("validating_files", "queued", "running", "paused")
_BATCH_RUNNING = ("validating", "in_progress", "finalizing")


@dataclass(frozen=True)
class ModernProfile:
    name: str = "modern-2.x"
    owned_kinds: Mapping[str, str | None] = field(
        default_factory=lambda: {
            "file": "file_ids",
            "fine_tuning.job": "fine_tune_ids",
            "model": "models",
            "batch": None,
        }
    )
    embedding_dimensions: Mapping[str, int] = field(default_factory=lambda: dict(EMBEDDING_DIMENSIONS))
    checks: frozenset[str] = frozenset(
        {
            "response_output_consistent",
            "response_status",
            "response_stream_events",
            "response_roundtrip",
            "stored_completion_roundtrip",
            "batch_lifecycle",
            "fine_tuning_job_lifecycle",
            "finish_reason_consistent",
            "chat_logprobs",
            "tool_choice_honoured",
            "tool_calls_valid",
            "structured_output",
            "chat_stream_consistent",
            "stream_usage",
            "embedding_base64",
        }
    )

    @property
    def workflows(self) -> Mapping[str, tuple[Workflow, tuple[str, ...]]]:
        # The workflows are the engine's, and the engine reads the profiles: they load on use.
        from openai_conformance.engine._stateful import files_workflow, models_workflow
        from openai_conformance.engine._workflows_modern import MODERN_WORKFLOWS

        files = ("createFile", "listFiles", "retrieveFile", "downloadFile", "deleteFile")
        return {"files": (files_workflow, files), **MODERN_WORKFLOWS, "models": (models_workflow, ())}

    def recognises(self, spec: Spec) -> bool:
        return any(op.path.startswith(("/responses", "/fine_tuning/jobs", "/batches")) for op in spec.operations)

    def clean_up(self, ids: Mapping[str, list[str]], send: Housekeeping) -> list[str]:
        """Cancel running jobs and batches; delete the models jobs made; their files are returned."""
        models, files = list(ids.get("model", ())), list(ids.get("file", ()))
        for job in ids.get("fine_tuning.job", ()):
            body = body_of(send("retrieveFineTuningJob", f"/fine_tuning/jobs/{job}"))
            if body.get("status") in _JOB_RUNNING:
                send("cancelFineTuningJob", f"/fine_tuning/jobs/{job}/cancel")
            if isinstance(body.get("fine_tuned_model"), str):
                models.append(body["fine_tuned_model"])
            files += [f for f in body.get("result_files") or () if isinstance(f, str)]
        for batch in ids.get("batch", ()):
            body = body_of(send("retrieveBatch", f"/batches/{batch}"))
            if body.get("status") in _BATCH_RUNNING:
                send("cancelBatch", f"/batches/{batch}/cancel")
            files += [body[k] for k in ("output_file_id", "error_file_id") if isinstance(body.get(k), str)]
        for model in dict.fromkeys(models):
            send("deleteModel", f"/models/{model}")
        return files


MODERN = ModernProfile()
