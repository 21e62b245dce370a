"""Build the operation index of a normalized document."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from ._model import HTTP_METHODS, MediaType, Operation, Parameter, RequestBody, Response
from ._oaimeta import read_meta
from ._refs import escape, follow_refs
from ._types import Document, JSONPointer


def _deref(document: Document, node: Any, pointer: JSONPointer) -> tuple[Any, JSONPointer]:
    """Follow ``$ref`` chains of non-schema objects (parameters, bodies, responses)."""
    node, pointer, _ = follow_refs(document, node, pointer)
    return node, pointer


def _content(document: Document, content: Any, pointer: JSONPointer) -> dict[str, MediaType]:
    out: dict[str, MediaType] = {}
    for content_type, media in (content or {}).items():
        where = f"{pointer}/{escape(content_type)}"
        media, where = _deref(document, media, where)
        schema = (media or {}).get("schema")
        out[content_type] = MediaType(
            content_type=content_type,
            schema=schema,
            pointer=f"{where}/schema" if schema is not None else "",
            encoding=(media or {}).get("encoding") or {},
        )
    return out


def _parameters(document: Document, items: list[Any], pointer: JSONPointer) -> list[Parameter]:
    out = []
    for i, item in enumerate(items or []):
        item, where = _deref(document, item, f"{pointer}/{i}")
        schema = item.get("schema")
        schema_pointer = f"{where}/schema"
        if schema is None and item.get("content"):
            media = next(iter(_content(document, item["content"], f"{where}/content").values()))
            schema, schema_pointer = media.schema, media.pointer
        out.append(
            Parameter(
                name=item["name"],
                location=item["in"],
                required=bool(item.get("required", item["in"] == "path")),
                schema=schema if schema is not None else {},
                pointer=schema_pointer,
                deprecated=bool(item.get("deprecated", False)),
            )
        )
    return out


def index_operations(document: Document) -> list[Operation]:
    """Every operation of ``paths``, in document order."""
    operations = []
    for path_key, item in (document.get("paths") or {}).items():
        base = f"/paths/{escape(path_key)}"
        item, base = _deref(document, item, base)
        path, _, query = path_key.partition("?")
        shared = _parameters(document, item.get("parameters") or [], f"{base}/parameters")
        for method in HTTP_METHODS:
            raw = item.get(method)
            if not isinstance(raw, dict):
                continue
            where = f"{base}/{method}"
            own = _parameters(document, raw.get("parameters") or [], f"{where}/parameters")
            overridden = {(p.name, p.location) for p in own}
            parameters = [p for p in shared if (p.name, p.location) not in overridden] + own
            body = None
            if raw.get("requestBody") is not None:
                raw_body, body_where = _deref(document, raw["requestBody"], f"{where}/requestBody")
                body = RequestBody(
                    required=bool(raw_body.get("required", False)),
                    content=_content(document, raw_body.get("content"), f"{body_where}/content"),
                )
            responses = {}
            for status, response in (raw.get("responses") or {}).items():
                response, response_where = _deref(document, response, f"{where}/responses/{escape(str(status))}")
                responses[str(status)] = Response(
                    status=str(status),
                    description=str(response.get("description", "")),
                    content=_content(document, response.get("content"), f"{response_where}/content"),
                    headers=response.get("headers") or {},
                )
            operations.append(
                Operation(
                    operation_id=raw.get("operationId") or f"{method}{path}",
                    method=method.upper(),
                    path=path,
                    fixed_query=dict(parse_qsl(query)),
                    summary=str(raw.get("summary", "")),
                    tags=tuple(raw.get("tags") or ()),
                    deprecated=bool(raw.get("deprecated", False)),
                    parameters=tuple(parameters),
                    request_body=body,
                    responses=responses,
                    meta=read_meta(raw.get("x-oaiMeta"), f"{where}/x-oaiMeta"),
                    pointer=where,
                )
            )
    return operations
