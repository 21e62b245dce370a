"""Pools of ids a real server knows: models, uploaded files, fine-tunes.

Strategies read a pool when they draw, not when they are built, so ids the
runner adds during a run (a file it uploaded) appear in the cases that follow.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from random import Random
from typing import TYPE_CHECKING, Any

from ._case import Case
from ._errors import InvalidArgument
from ._merge import flatten
from ._types import Gen, Schema

if TYPE_CHECKING:
    from openai_conformance.spec import Spec

# property or path parameter name -> the Pools list its values come from.
POOLED_NAMES: dict[str, str] = {
    "model": "models",
    "engine_id": "models",
    "search_model": "models",
    "file": "file_ids",
    "file_id": "file_ids",
    "training_file": "file_ids",
    "validation_file": "file_ids",
    "fine_tune_id": "fine_tune_ids",
    "fine_tuning_job_id": "fine_tune_ids",
}
# property name -> values a real server expects, used whenever the schema accepts one.
KNOWN_VALUES: dict[str, tuple[str, ...]] = {"purpose": ("fine-tune",)}
# How ids look in a document's examples, for ``Pools.from_spec``.
_ID_PATTERNS = {
    "file_ids": re.compile(r"\bfile-[A-Za-z0-9]{10,}\b"),
    "fine_tune_ids": re.compile(r"\b(?:ft|ftjob)-[A-Za-z0-9]{10,}\b"),
}
_MODEL_IN_TEXT = re.compile(r'"model"\s*:\s*"([A-Za-z0-9][\w:.\-]*)"')
_MODEL_NAMES = ("model", "engine_id", "search_model")
# A fine-tuned model (``curie:ft-acmeco-...``) exists only in the account that made it.
_ACCOUNT_MODEL = re.compile(r"^ft:|:ft[-:]")
# ``--model KIND=ID``: the kinds, and the path prefixes of the operations of each.
MODEL_KINDS: dict[str, tuple[str, ...]] = {
    "chat": ("/chat/", "/responses", "/assistants", "/threads", "/realtime"),
    "completion": ("/completions", "/engines/"),
    "embedding": ("/embeddings",),
    "image": ("/images/",),
    "moderation": ("/moderations",),
}
ANY_KIND = "*"  # ``--model ID``: every kind
# Ids a target lists to inject faults say so in their name (``mock-fails-always``).
_FAULTY_MODEL = re.compile(r"fail|error|broken|fault|crash|invalid|timeout", re.IGNORECASE)


@dataclass
class Pools:
    """Ids to draw from; mutable, the runner appends what the run creates.

    Example: ``pools = Pools.from_spec(spec); pools.file_ids.append("file-abc")``.
    """

    models: list[str] = field(default_factory=list)
    file_ids: list[str] = field(default_factory=list)
    fine_tune_ids: list[str] = field(default_factory=list)
    pinned: dict[str, list[str]] = field(default_factory=dict)  # kind (or ANY_KIND) -> the models cases use

    def pin(self, given: Iterable[str]) -> None:
        """Pin models from ``--model`` values: ``ID`` for every kind, ``KIND=ID`` for one.

        Example: ``pools.pin(["chat=gpt-4o-mini", "embedding=text-embedding-3-small"])``.
        """
        for value in given:
            kind, equals, model = value.partition("=")
            if not equals:
                kind, model = ANY_KIND, value
            if kind not in MODEL_KINDS and kind != ANY_KIND:
                raise InvalidArgument(f"model={value!r}: unknown kind {kind!r} (one of {', '.join(MODEL_KINDS)})")
            if not model:
                raise InvalidArgument(f"model={value!r}: no model id after {kind}=")
            self.pinned.setdefault(kind, []).append(model)

    def repinned(self, case: Case) -> Case:
        """``case`` asking for a pinned model instead of the one its spec example names, if one is pinned."""
        pins = self._pins(case.path)
        if not pins:
            return case
        if isinstance(case.json, dict) and isinstance(case.json.get("model"), str):
            return replace(case, json={**case.json, "model": pins[0]})
        if case.form and isinstance(case.form.get("model"), str):
            return replace(case, form={**case.form, "model": pins[0]})
        return case

    def _pins(self, path: str) -> list[str]:
        kind = model_kind(path)
        return (self.pinned.get(kind) if kind else None) or self.pinned.get(ANY_KIND) or []

    def prefer_listed(self, listed: list[str]) -> None:
        """Keep the models the spec names that the target lists; else the target's own,
        without those whose name says they fail on purpose. Nothing listed: nothing known."""
        if listed:
            known = [m for m in self.models if m in listed]
            self.models[:] = known or plausible_models(listed)

    def models_for(self, path: str) -> list[str]:
        """The models an operation at ``path`` draws from: its kind's pins, then pins for all, then the pool."""
        return self._pins(path) or self.models

    @classmethod
    def from_spec(cls, spec: Spec) -> Pools:
        """The ids the spec's own examples use (sorted, so draws are reproducible)."""
        text = json.dumps(spec.raw, default=str)
        found: dict[str, set[str]] = {name: set(p.findall(text)) for name, p in _ID_PATTERNS.items()}
        models = set(_MODEL_IN_TEXT.findall(text.replace('\\"', '"')))
        _walk_examples(spec.document, models)
        models = {m for m in models if not m.startswith("VAR_") and not _ACCOUNT_MODEL.search(m)}
        return cls(
            models=sorted(models), file_ids=sorted(found["file_ids"]), fine_tune_ids=sorted(found["fine_tune_ids"])
        )


def model_kind(path: str) -> str | None:
    """The kind of model an operation at ``path`` takes (``/chat/completions``: chat), if any."""
    for kind, prefixes in MODEL_KINDS.items():
        if any(_under(path, prefix) for prefix in prefixes):
            return kind
    return None


def _under(path: str, prefix: str) -> bool:
    """``/images/`` holds what starts with it; ``/embeddings`` itself and what is below it."""
    return path.startswith(prefix) if prefix.endswith("/") else path == prefix or path.startswith(prefix + "/")


def plausible_models(listed: list[str]) -> list[str]:
    """The listed ids without those whose name says they fail on purpose (all, if that is every one)."""
    return [m for m in listed if not _FAULTY_MODEL.search(m)] or listed


def _walk_examples(node: Any, models: set[str], name: str = "") -> None:
    """Collect the ``x-example`` of every property or parameter named like a model."""
    if isinstance(node, dict):
        if name in _MODEL_NAMES and isinstance(node.get("x-example"), str):
            models.add(node["x-example"])
        if node.get("name") in _MODEL_NAMES and isinstance(node.get("schema"), dict):
            _walk_examples(node["schema"], models, node["name"])
        for key, value in node.items():
            if key == "properties" and isinstance(value, dict):
                for prop, sub in value.items():
                    _walk_examples(sub, models, prop)
            elif not key.startswith("x-"):
                _walk_examples(value, models)
    elif isinstance(node, list):
        for value in node:
            _walk_examples(value, models)


def _binary(schema: Schema) -> bool:
    if not isinstance(schema, dict):
        return False
    if schema.get("format") == "binary":
        return True
    return any(_binary(b) for k in ("anyOf", "oneOf") for b in schema.get(k, ()))


def pooled(
    pools: Pools,
    name: str,
    schema: Schema,
    gen: Gen,
    resolve: Callable[[Any], Any],
    accepts: Callable[[Schema], Callable[[Any], bool]],
    path: str = "",
) -> Gen:
    """``gen``, or for a pooled name, a draw from the pool of the ids the schema accepts."""
    attribute = POOLED_NAMES.get(name)
    if (attribute is None and name not in KNOWN_VALUES) or _binary(flatten(schema, resolve)):
        return gen  # createFile's ``file`` is an upload, not an id: decided by schema
    check = accepts(schema)
    verdicts: dict[str, bool] = {}
    known = KNOWN_VALUES.get(name, ())
    # The property's own example fits its endpoint (an embedding model for embeddings).
    example = flatten(schema, resolve).get("x-example") if isinstance(schema, dict) else None

    def draw(rnd: Random, depth: int) -> Any:
        pool = (pools.models_for(path) if attribute == "models" else getattr(pools, attribute)) if attribute else known
        for value in pool:
            if value not in verdicts:  # each id is judged once against the schema
                verdicts[value] = check(value)
        if isinstance(example, str) and example in pool and verdicts[example] and rnd.random() < 0.5:
            return example
        fitting = [v for v in pool if verdicts[v]]
        return rnd.choice(fitting) if fitting else gen(rnd, depth)

    return draw
