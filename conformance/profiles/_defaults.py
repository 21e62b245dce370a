"""Request defaults from the document: what the API assumes when a request leaves a field out."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openai_conformance.spec import Operation, Spec

_MISSING = object()


def request_default(spec: Spec, operation: Operation, name: str) -> Any:
    return request_keyword(spec, operation, name, "default")


def request_keyword(spec: Spec, operation: Operation, name: str, keyword: str) -> Any:
    """The schema ``default`` of body property ``name`` (``None`` when the document gives none).

    Example: on 2.3.0 ``request_default(spec, spec.operation("createImage"), "size")``
    is ``"auto"``; on the seed it is ``"1024x1024"``. ``request_keyword`` reads any
    keyword so (``minimum``), through ``$ref``, ``allOf`` and a nullable ``anyOf``.
    """
    body = operation.request_body
    for media in body.content.values() if body is not None else ():
        found = _keyword_in(spec, media.schema, name, keyword, 0)
        if found is not _MISSING:
            return found
    return None


def _keyword_in(spec: Spec, schema: Any, name: str, keyword: str, depth: int) -> Any:
    schema = spec.resolve(schema)
    if not isinstance(schema, dict) or depth > 8:
        return _MISSING
    prop = spec.resolve((schema.get("properties") or {}).get(name))
    if isinstance(prop, dict):
        for candidate in (prop, *[spec.resolve(b) for b in prop.get("anyOf") or prop.get("oneOf") or ()]):
            if isinstance(candidate, dict) and keyword in candidate:
                return candidate[keyword]
        return _MISSING
    for branch in schema.get("allOf") or ():
        found = _keyword_in(spec, branch, name, keyword, depth + 1)
        if found is not _MISSING:
            return found
    return _MISSING
