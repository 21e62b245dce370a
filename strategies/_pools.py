"""Pools of ids a real server knows: models, uploaded files, fine-tunes.

Strategies read a pool when they draw, not when they are built, so ids the
runner adds during a run (a file it uploaded) appear in the cases that follow.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from random import Random
from typing import TYPE_CHECKING, Any

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


@dataclass
class Pools:
    """Ids to draw from; mutable, the runner appends what the run creates.

    Example: ``pools = Pools.from_spec(spec); pools.file_ids.append("file-abc")``.
    """

    models: list[str] = field(default_factory=list)
    file_ids: list[str] = field(default_factory=list)
    fine_tune_ids: list[str] = field(default_factory=list)

    @classmethod
    def from_spec(cls, spec: Spec) -> Pools:
        """The ids the spec's own examples use (sorted, so draws are reproducible)."""
        text = json.dumps(spec.raw, default=str)
        found: dict[str, set[str]] = {
            name: set(p.findall(text)) for name, p in _ID_PATTERNS.items()
        }
        models = set(_MODEL_IN_TEXT.findall(text.replace('\\"', '"')))
        _walk_examples(spec.document, models)
        models = {m for m in models if not m.startswith("VAR_") and not _ACCOUNT_MODEL.search(m)}
        return cls(
            models=sorted(models),
            file_ids=sorted(found["file_ids"]),
            fine_tune_ids=sorted(found["fine_tune_ids"]),
        )


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
        pool = getattr(pools, attribute) if attribute else known
        for value in pool:
            if value not in verdicts:  # each id is judged once against the schema
                verdicts[value] = check(value)
        if (
            isinstance(example, str)
            and example in pool
            and verdicts[example]
            and rnd.random() < 0.5
        ):
            return example
        fitting = [v for v in pool if verdicts[v]]
        return rnd.choice(fitting) if fitting else gen(rnd, depth)

    return draw
