"""What the document says one operation's event stream is: each event's schema and its terminator.

Pure, (spec, operation) -> ``StreamContract``, so a per-generation profile can call it or replace it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openai_conformance.spec import Operation, Spec

DONE = "[DONE]"
_DEPTH = 4  # request schemas nest stream properties under allOf/anyOf this deep at most


@dataclass(frozen=True)
class StreamContract:
    """How a stream of one operation must look.

    ``event_schema``: pointer of the schema each event's data follows (``None``: nothing documented);
    ``discriminator`` and ``branches``: for a union, the property naming the event type and the
    schema pointer for each value, so an event meets only its own branch; ``terminator``: the data
    the stream must end with (``None``: none, as the Responses API, which ends on its last event);
    ``from_event_stream``: the schema came from a ``text/event-stream`` response, not the JSON body
    (then only data-only events are the body's shape: named ones, as the Assistants' runs send, are not).
    """

    event_schema: str | None
    terminator: str | None = None
    discriminator: str | None = None
    branches: dict[str, str] = field(default_factory=dict)
    from_event_stream: bool = False


def stream_contract(spec: Spec, operation: Operation) -> StreamContract:
    """The stream contract of ``operation`` as ``spec`` declares it.

    The event schema is the ``text/event-stream`` content of the 200 response (2.x documents:
    ``CreateChatCompletionStreamResponse``, ``ResponseStreamEvent``, ...); without one, the JSON
    body's schema, or its ``data`` items for a streamed list (1.x: completions, fine-tune events),
    which the 1.x documents say the stream repeats. The terminator is ``[DONE]`` when the
    request's stream properties or parameters say the stream ends with ``data: [DONE]``.
    """
    terminator = DONE if _mentions_done(spec, operation) else None
    response = operation.responses.get("200")
    content = response.content if response is not None else {}
    sse = next((m for ct, m in content.items() if ct.startswith("text/event-stream")), None)
    if sse is not None and sse.schema is not None:
        key, branches = _union_branches(spec, sse.schema, sse.pointer)
        return StreamContract(sse.pointer, terminator, key, branches, from_event_stream=True)
    return StreamContract(_json_event_pointer(spec, operation, content), terminator)


def _json_event_pointer(spec: Spec, operation: Operation, content: dict[str, Any]) -> str | None:
    media = next((m for ct, m in content.items() if "json" in ct), None)
    if media is None or media.schema is None:
        return None
    schema = _deref(spec, media.schema)
    data = (schema.get("properties") or {}).get("data") if isinstance(schema, dict) else None
    streams_a_list = any(p.name == "stream" and p.location == "query" for p in operation.parameters)
    if isinstance(data, dict) and streams_a_list:
        return f"{_ref_pointer(media.schema) or media.pointer}/properties/data/items"
    named = _ref_pointer(media.schema) or ""
    # 2.0.0 has no text/event-stream content but names the chunk schema: XResponse -> XStreamResponse
    if named.endswith("Response") and isinstance(_at(spec, named[:-8] + "StreamResponse"), dict):
        return named[:-8] + "StreamResponse"
    return media.pointer


def _union_branches(spec: Spec, schema: Any, pointer: str) -> tuple[str | None, dict[str, str]]:
    """For an anyOf/oneOf of event schemas, the naming property and value -> branch pointer."""
    resolved = _deref(spec, schema)
    if not isinstance(resolved, dict):
        return None, {}
    base = _ref_pointer(schema) or pointer
    members = resolved.get("anyOf") or resolved.get("oneOf")
    if not isinstance(members, list):
        return None, {}
    discriminator = resolved.get("discriminator")
    named = discriminator.get("propertyName") if isinstance(discriminator, dict) else None
    key = named if isinstance(named, str) else "type"
    keyword = "anyOf" if "anyOf" in resolved else "oneOf"
    branches: dict[str, str] = {}
    for i, member in enumerate(members):
        values = _const_values(spec, _deref(spec, member), key)
        if not values:
            return None, {}  # a branch without a fixed type: validate against the whole union
        for value in values:
            branches.setdefault(value, _ref_pointer(member) or f"{base}/{keyword}/{i}")
    return key, branches


def _const_values(spec: Spec, schema: Any, key: str) -> list[str]:
    properties = schema.get("properties") if isinstance(schema, dict) else None
    prop = _deref(spec, properties.get(key)) if isinstance(properties, dict) else None
    if not isinstance(prop, dict):
        return []
    if isinstance(prop.get("const"), str):
        return [prop["const"]]
    enum = prop.get("enum")
    return [v for v in enum if isinstance(v, str)] if isinstance(enum, list) else []


def _mentions_done(spec: Spec, operation: Operation) -> bool:
    """Whether the request's ``stream*`` properties or ``stream`` parameter describe ``[DONE]``."""
    texts = [
        json.dumps(spec.at(p.pointer.rsplit("/schema", 1)[0]), default=str)
        for p in operation.parameters
        if p.name == "stream"
    ]
    for media in operation.request_body.content.values() if operation.request_body else ():
        texts += _stream_property_texts(spec, media.schema, _DEPTH)
    return any(DONE in text for text in texts)


def _stream_property_texts(spec: Spec, schema: Any, depth: int) -> list[str]:
    schema = _deref(spec, schema)
    if depth == 0 or not isinstance(schema, dict):
        return []
    found = [
        json.dumps(spec.resolve(value), default=str)
        for name, value in (schema.get("properties") or {}).items()
        if name.startswith("stream")
    ]
    for keyword in ("allOf", "anyOf", "oneOf"):
        for member in schema.get(keyword) or []:
            found += _stream_property_texts(spec, member, depth - 1)
    return found


def _deref(spec: Spec, schema: Any) -> Any:
    """Follow ``$ref``s, also those with sibling keywords (2.3.0 has 346), which ``resolve`` keeps."""
    for _ in range(16):
        pointer = _ref_pointer(schema)
        if pointer is None:
            return schema
        schema = _at(spec, pointer)
    return schema


def _at(spec: Spec, pointer: str) -> Any:
    try:
        return spec.at(pointer)
    except (KeyError, IndexError, TypeError, ValueError):
        return None


def _ref_pointer(schema: Any) -> str | None:
    ref = schema.get("$ref") if isinstance(schema, dict) else None
    return ref[1:] if isinstance(ref, str) and ref.startswith("#") else None
