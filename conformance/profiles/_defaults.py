"""Request defaults from the document: what the API assumes when a request leaves a field out."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openai_conformance.spec import Operation, Spec

_MISSING = object()


def request_default(spec: Spec, operation: Operation, name: str) -> Any:
    """The schema ``default`` of body property ``name`` (``None`` when the document gives none).

    Example: on 2.3.0 ``request_default(spec, spec.operation("createImage"), "size")``
    is ``"auto"``; on the seed it is ``"1024x1024"``. Reads JSON and multipart bodies,
    through ``$ref``, ``allOf`` and the branches of a nullable ``anyOf``.
    """
    body = operation.request_body
    for media in body.content.values() if body is not None else ():
        found = _default_in(spec, media.schema, name, 0)
        if found is not _MISSING:
            return found
    return None


def _default_in(spec: Spec, schema: Any, name: str, depth: int) -> Any:
    schema = spec.resolve(schema)
    if not isinstance(schema, dict) or depth > 8:
        return _MISSING
    prop = spec.resolve((schema.get("properties") or {}).get(name))
    if isinstance(prop, dict):
        for candidate in (prop, *[spec.resolve(b) for b in prop.get("anyOf") or prop.get("oneOf") or ()]):
            if isinstance(candidate, dict) and "default" in candidate:
                return candidate["default"]
        return _MISSING
    for branch in schema.get("allOf") or ():
        found = _default_in(spec, branch, name, depth + 1)
        if found is not _MISSING:
            return found
    return _MISSING
