"""Per-operation answer templates of the schema-driven handler, built once.

A template is the documented success status, its media type and a body valid
against the response schema: the x-oaiMeta example when it validates, else a
minimal instance with as many of the example's keys as keep it valid.
"""

from __future__ import annotations

import copy
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from openai_conformance.spec import example_to_json, operation_examples, parse_example

from ._instances import Instances

if TYPE_CHECKING:
    from openai_conformance.spec import Operation, Spec

JSON = "application/json"


@dataclass(frozen=True)
class Template:
    status: int
    media_type: str | None  # None: an empty body
    pointer: str | None  # of the JSON response schema
    body: Any
    request: Any  # a minimal valid request body (what ``no_validation`` answers instead)
    streams: bool  # text/event-stream documented too

    def fresh(self) -> Any:
        return copy.deepcopy(self.body)


_CACHE: weakref.WeakKeyDictionary[Spec, dict[str, Template]] = weakref.WeakKeyDictionary()
_INSTANCES: weakref.WeakKeyDictionary[Spec, Instances] = weakref.WeakKeyDictionary()


def instances(spec: Spec) -> Instances:
    found = _INSTANCES.get(spec)
    if found is None:
        found = _INSTANCES[spec] = Instances(spec)
    return found


def template(spec: Spec, op: Operation) -> Template:
    """The template of ``op``, built on first use and kept with the spec."""
    table = _CACHE.setdefault(spec, {})
    found = table.get(op.operation_id)
    if found is None:
        found = table[op.operation_id] = _build(spec, op)
    return found


def _build(spec: Spec, op: Operation) -> Template:
    status = next((s for s in op.success_statuses if s.isdigit()), "200")
    response = op.responses.get(status)
    content = response.content if response else {}
    media = content.get(JSON) or next((m for ct, m in content.items() if "json" in ct), None)
    made = instances(spec)
    body: Any = b""
    if media is not None and media.schema is not None:
        body = _with_example(spec, op, media.pointer, made.of(media.schema))
    media_type = media.content_type if media else next((ct for ct in content if ct != "text/event-stream"), None)
    request = None
    if op.request_body is not None:
        content = op.request_body.content  # multipart first, as the intake reads it
        first = content.get("multipart/form-data") or next(iter(content.values()))
        request = made.of(first.schema) if first.schema is not None else None
    return Template(
        int(status), media_type, media.pointer if media else None, body, request, "text/event-stream" in content
    )


def _with_example(spec: Spec, op: Operation, pointer: str, minimal: Any) -> Any:
    example = _example(op)
    if example is not None and spec.is_valid(pointer, example):
        return example
    if isinstance(example, dict) and isinstance(minimal, dict):
        for key, value in example.items():
            if key in minimal and isinstance(value, dict):
                continue  # keep the valid minimal object rather than a broken example one
            candidate = {**minimal, key: value}
            if spec.is_valid(pointer, candidate):
                minimal = candidate
    return minimal


def _example(op: Operation) -> Any:
    found = operation_examples(op, "response")
    if not found:
        return None
    parsed = parse_example(found[0].text)
    if parsed.error is not None:
        return None
    try:
        return example_to_json(parsed.value)
    except (TypeError, ValueError):
        return None
