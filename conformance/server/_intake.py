"""How a request comes in: the key, the body (size-capped, timed), its parsing,
and its validation against the spec. Everything here raises ``APIError``s."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from dataclasses import replace
from typing import Any

from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import Request

from ._errors import InvalidRequest, PayloadTooLarge, RequestTimeout, Unauthorized
from ._registry import Call
from ._validation import Upload, coerce_form, for_validation, parse_json, query_values, split_extensions, validate

MULTIPART = "multipart/form-data"


class _LeftOut:
    """The body of a request that sent none where the operation does not require one."""


LEFT_OUT = _LeftOut()
MAX_BODY = 20 * 1024 * 1024  # above the 4 MB image limit, far below a 50 MB abuse
BODY_TIMEOUT = 30.0  # seconds a client may take to send its body


async def read(call: Call) -> Call:
    """``call`` with its body read and parsed (JSON, or a typed multipart form)."""
    op, request = call.operation, call.request
    if op.request_body is None:
        return call
    raw = await _read_body(request)
    if not raw and not op.request_body.required and "content-type" not in request.headers:
        return replace(call, body=LEFT_OUT)  # an optional body left out: nothing to validate
    body: Any
    if _is_multipart(call):
        form = await _parse_form(request, raw)
        body = coerce_form(call.spec, op.request_body.content[MULTIPART], form)
    elif _sent(request) in _text_media(call):  # application/sdp and the like: the text itself
        body = raw.decode("utf-8", "replace")
    else:
        _require_json(request)
        body = parse_json(raw)
    return replace(call, body=body)


def validated(call: Call) -> Call:
    """``call`` checked against the spec: query parameters and body."""
    op, spec = call.operation, call.spec
    params = call.request.query_params
    query = query_values(spec, op.parameters_in("query"), {k: params.getlist(k) for k in params})
    body = call.body
    if op.request_body is not None and body is not LEFT_OUT:
        if _is_multipart(call):
            validate(spec, op.request_body.content[MULTIPART].pointer, for_validation(body))
        elif isinstance(body, str) and _sent(call.request) in _text_media(call):
            validate(spec, op.request_body.content[_sent(call.request)].pointer, body)
        else:
            media = next(m for ct, m in op.request_body.content.items() if ct != MULTIPART)
            body, extensions = split_extensions(op.operation_id, body)
            validate(spec, media.pointer, body)
            body = {**body, **extensions} if extensions else body
    return replace(call, body=body, query=query)


def _is_multipart(call: Call) -> bool:
    """Whether the body is read as a form: multipart documented, and the request not
    JSON where the operation documents JSON too (2.x takes either on some creates)."""
    content = call.operation.request_body.content  # type: ignore[union-attr]
    if MULTIPART not in content:
        return False
    sent = _sent(call.request)
    return not (len(content) > 1 and (sent == "application/json" or sent in _text_media(call)))


def _sent(request: Request) -> str:
    """The media type the request says its body is, lower case, without parameters."""
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def _text_media(call: Call) -> set[str]:
    """Documented media types read as plain text: neither a form nor JSON (``application/sdp``)."""
    content = call.operation.request_body.content  # type: ignore[union-attr]
    return {ct for ct in content if ct != MULTIPART and "json" not in ct}


async def _read_body(request: Request) -> bytes:
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > MAX_BODY:
        raise PayloadTooLarge(f"Request body too large: {length} bytes (limit {MAX_BODY}).")

    async def collect() -> bytes:
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > MAX_BODY:
                raise PayloadTooLarge(f"Request body too large (limit {MAX_BODY} bytes).")
            chunks.append(chunk)
        return b"".join(chunks)

    try:
        return await asyncio.wait_for(collect(), BODY_TIMEOUT)
    except asyncio.TimeoutError:
        raise RequestTimeout("Timed out reading the request body.") from None


def _require_json(request: Request) -> None:
    """JSON operations take JSON only: a body labelled otherwise is refused, as OpenAI does."""
    media_type = _sent(request)
    if media_type != "application/json" and not media_type.endswith("+json"):
        raise InvalidRequest(f"Invalid Content-Type header ({media_type or 'none'}), expected application/json.")


async def _parse_form(request: Request, raw: bytes) -> dict[str, Any]:
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise InvalidRequest("This endpoint expects a multipart/form-data body.")

    async def once() -> AsyncGenerator[bytes, None]:
        yield raw

    parser = MultiPartParser(request.headers, once(), max_files=8, max_fields=64, max_part_size=1024 * 1024)
    try:
        form = await parser.parse()
    except (MultiPartException, ValueError) as exc:
        raise InvalidRequest(f"Could not parse the multipart body: {exc}") from None
    fields: dict[str, Any] = {}
    for name, part in form.multi_items():
        value: Any = part
        if not isinstance(part, str):  # a file part; "" when it came without a Content-Type
            value = Upload(part.filename or name, part.content_type or "", await part.read())
        if name in fields:  # a repeated part: an array's items, one part each
            held = fields[name]
            fields[name] = [*held, value] if isinstance(held, list) else [held, value]
        else:
            fields[name] = value
    await form.close()
    return fields


def authenticate(request: Request, keys: frozenset[str] | None) -> None:
    header = request.headers.get("authorization", "")
    scheme, _, key = header.partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise Unauthorized(
            "You didn't provide an API key. You need to provide your API key in an "
            "Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."
        )
    key = key.strip()
    if (key not in keys) if keys is not None else not key.startswith("sk-"):
        # Never echo the key back: secrets must not reach a response or a log.
        raise Unauthorized("Incorrect API key provided.", code="invalid_api_key")
