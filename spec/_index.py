"""Build the operation index of a normalized document."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from ._model import HTTP_METHODS, MediaType, OaiMeta, Operation, Parameter, RequestBody, Response
from ._refs import escape, lookup
from ._types import Document, JSONPointer


def _deref(document: Document, node: Any, pointer: JSONPointer) -> tuple[Any, JSONPointer]:
    """Follow ``$ref`` chains of non-schema objects (parameters, bodies, responses)."""
    seen: set[str] = set()
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        ref = node["$ref"]
        if ref in seen:
            break
        seen.add(ref)
        pointer = ref[1:]
        node = lookup(document, pointer)
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


def _meta(raw: Any, pointer: JSONPointer) -> OaiMeta | None:
    if not isinstance(raw, dict):
        return None
    examples = raw.get("examples")
    response = raw.get("response")
    parameters = raw.get("parameters")
    # 2.3.0 nests request/response examples; keep the strings when they are strings.
    if isinstance(examples, dict) and isinstance(examples.get("request"), dict):
        response = response or examples.get("response")
        examples = examples["request"]
    elif not isinstance(examples, dict):
        examples = {}
    return OaiMeta(
        name=raw.get("name"),
        group=raw.get("group"),
        path=raw.get("path"),
        beta=bool(raw.get("beta", False)),
        examples={str(k): v for k, v in examples.items() if isinstance(v, str)},
        parameters=parameters if isinstance(parameters, str) else None,
        response=response if isinstance(response, str) else None,
        pointer=pointer,
        raw=raw,
    )


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
                response, response_where = _deref(
                    document, response, f"{where}/responses/{escape(str(status))}"
                )
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
                    meta=_meta(raw.get("x-oaiMeta"), f"{where}/x-oaiMeta"),
                    pointer=where,
                )
            )
    return operations
