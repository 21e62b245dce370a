"""Every example text an operation's ``x-oaiMeta`` holds, with its pointer.

The 1.x documents keep one ``response``, one ``parameters`` and one example
per language; 2.3.0 nests them as ``examples: {request, response}`` or a list
of such. Callers (lint, the runner's ``example_shape`` check) see one flat list.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ._refs import escape

if TYPE_CHECKING:
    from ._model import Operation



@dataclass(frozen=True)
class ExampleText:
    """One example as written: ``kind`` is "response", "parameters" or "curl"."""

    operation_id: str
    kind: str
    text: str
    pointer: str  # of the string in the document
    title: str | None = None


def operation_examples(operation: Operation, kind: str | None = None) -> list[ExampleText]:
    """The examples of ``operation`` (of one ``kind`` if given), in document order."""
    meta = operation.meta
    if meta is None or not isinstance(meta.raw, dict):
        return []
    found = list(_from_block(operation.operation_id, meta.raw, meta.pointer, None))
    return [e for e in found if kind is None or e.kind == kind]


def _from_block(operation_id: str, block: dict[str, Any], pointer: str, title: str | None) -> Iterator[ExampleText]:
    for key in ("parameters", "response"):
        if isinstance(block.get(key), str):
            yield ExampleText(operation_id, key, block[key], f"{pointer}/{key}", title)
    examples = block.get("examples")
    if isinstance(examples, list):
        for i, item in enumerate(examples):
            if isinstance(item, dict):
                yield from _from_block(operation_id, item, f"{pointer}/examples/{i}", item.get("title"))
    elif isinstance(examples, dict):
        yield from _from_block(operation_id, examples, f"{pointer}/examples", title)
    request = block.get("request")
    if isinstance(request, dict):
        yield from _curl(operation_id, request, f"{pointer}/request", title)
    elif isinstance(examples, dict) and not isinstance(examples.get("request"), dict):
        yield from _curl(operation_id, examples, f"{pointer}/examples", title)


def _curl(operation_id: str, languages: dict[str, Any], pointer: str, title: str | None) -> Iterator[ExampleText]:
    text = languages.get("curl")
    if isinstance(text, str):
        yield ExampleText(operation_id, "curl", text, f"{pointer}/{escape('curl')}", title)
