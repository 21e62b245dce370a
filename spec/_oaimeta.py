"""The one reader of ``x-oaiMeta``: every example an operation holds, with its pointer.

The 1.x documents keep one ``response``, one ``parameters`` and one example per
language; 2.3.0 nests them as ``examples: {request, response}`` or a list of
such, each with a title. Both are read into ``ExampleBlock``s (one request in
its languages and the response that answers it); callers (lint, the examples
mode, ``example_shape``) see the blocks or one flat list of texts.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ._model import OaiMeta
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


@dataclass(frozen=True)
class ExampleBlock:
    """One example exchange: a request in several languages and what it answers."""

    pointer: str
    title: str | None = None
    request: dict[str, str] = field(default_factory=dict)  # language -> source
    request_pointer: str = ""  # of the object holding the languages
    response: str | None = None
    parameters: str | None = None  # 1.x: pseudo-JSON of the request body

    def texts(self, operation_id: str) -> Iterator[ExampleText]:
        for kind in ("parameters", "response"):
            text = getattr(self, kind)
            if text is not None:
                yield ExampleText(operation_id, kind, text, f"{self.pointer}/{kind}", self.title)
        if "curl" in self.request:
            where = f"{self.request_pointer}/{escape('curl')}"
            yield ExampleText(operation_id, "curl", self.request["curl"], where, self.title)


def read_meta(raw: Any, pointer: str) -> OaiMeta | None:
    """An operation's ``x-oaiMeta`` as an ``OaiMeta``, its examples read once."""
    if not isinstance(raw, dict):
        return None
    return OaiMeta(
        name=raw.get("name"),
        group=raw.get("group"),
        path=raw.get("path"),
        beta=bool(raw.get("beta", False)),
        blocks=tuple(_blocks(raw, pointer, None)),
        pointer=pointer,
        raw=raw,
    )


def operation_examples(operation: Operation, kind: str | None = None) -> list[ExampleText]:
    """The examples of ``operation`` (of one ``kind`` if given), in document order."""
    if operation.meta is None:
        return []
    found = [t for b in operation.meta.blocks for t in b.texts(operation.operation_id)]
    return [e for e in found if kind is None or e.kind == kind]


def _strings(node: Any) -> dict[str, str]:
    return {str(k): v for k, v in node.items() if isinstance(v, str)} if isinstance(node, dict) else {}


def _text(block: dict[str, Any], key: str) -> str | None:
    value = block.get(key)
    return value if isinstance(value, str) else None


def _blocks(block: dict[str, Any], pointer: str, title: str | None) -> Iterator[ExampleBlock]:
    examples = block.get("examples")
    if isinstance(examples, list):  # 2.3.0: several titled exchanges
        for i, item in enumerate(examples):
            if isinstance(item, dict):
                yield from _blocks(item, f"{pointer}/examples/{i}", _text(item, "title"))
        return
    if isinstance(examples, dict) and ("request" in examples or "response" in examples):
        yield from _blocks(examples, f"{pointer}/examples", title)  # 2.3.0: one exchange
        return
    request, request_pointer = block.get("request"), f"{pointer}/request"
    if not isinstance(request, dict):  # 1.x: languages side by side with the texts
        request, request_pointer = examples, f"{pointer}/examples"
    found = ExampleBlock(
        pointer, title, _strings(request), request_pointer, _text(block, "response"), _text(block, "parameters")
    )
    if found.request or found.response is not None or found.parameters is not None:
        yield found
