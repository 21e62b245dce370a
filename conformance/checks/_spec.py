"""Checks from the spec itself, and from OpenAI's conventions the spec leaves out."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from openai_conformance.spec import join_pointer

from ..results._tally import Failure
from ._base import CheckContext, check, documented_media, is_success

_ERROR_KEYS = ("message", "type", "param", "code")
_MAX_SCHEMA_ERRORS = 3


def _short(value: Any, limit: int = 120) -> str:
    text = json.dumps(value, default=str) if not isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@check("server_error", "The target answers no request with a 5xx status.", source="spec")
def server_error_conformance(ctx: CheckContext) -> Iterator[Failure]:
    if ctx.response.status >= 500:
        yield Failure(
            f"Server error {ctx.response.status}", expected="a status below 500", got=str(ctx.response.status)
        )


@check(
    "status_code",
    "Every 1xx-3xx status is documented for the operation (4xx errors follow the error convention).",
    source="spec",
)
def status_code_conformance(ctx: CheckContext) -> Iterator[Failure]:
    status = ctx.response.status
    if status >= 400:
        return
    key, _ = documented_media(ctx)
    if key is None:
        documented = ", ".join(ctx.operation.responses) or "none"
        yield Failure(
            f"Undocumented status code {status}", expected=f"Documented: {documented}", got=f"Received: {status}"
        )


def _content_type_applies(ctx: CheckContext) -> bool:
    return not ctx.case.streams or not is_success(ctx)


@check(
    "content_type",
    "The response's Content-Type is one the spec documents for its status (JSON for errors).",
    source="spec",
    applies=_content_type_applies,
)
def content_type_conformance(ctx: CheckContext) -> Iterator[Failure]:
    got = ctx.response.content_type
    if ctx.response.status >= 400:
        if got != "application/json":
            yield Failure("Error response is not JSON", "Documented: application/json", f"Received: {got or 'none'}")
        return
    _, response = documented_media(ctx)
    if response is None or not response.content:
        return
    documented = [ct.split(";")[0].lower() for ct in response.content]
    if not any(_media_matches(d, got) for d in documented):
        yield Failure(
            "Undocumented Content-Type",
            expected=f"Documented: {', '.join(documented)}",
            got=f"Received: {got or 'none'}",
        )


def _media_matches(documented: str, got: str) -> bool:
    if documented in ("*/*", got):
        return True
    major, _, minor = documented.partition("/")
    return minor == "*" and got.startswith(major + "/")


def _json_schema_of(ctx: CheckContext) -> tuple[str, Any] | None:
    """The documented JSON schema for the status and the content type that came back."""
    _, response = documented_media(ctx)
    got = ctx.response.content_type
    if response is None or "json" not in got:
        return None
    for content_type, media in response.content.items():
        if _media_matches(content_type.split(";")[0].lower(), got) and media.schema is not None:
            return media.pointer, media.schema
    return None


def _response_schema_applies(ctx: CheckContext) -> bool:
    return is_success(ctx) and not ctx.case.streams and _json_schema_of(ctx) is not None


@check(
    "response_schema",
    "A successful JSON response validates against its documented schema (nullable honoured).",
    source="spec",
    applies=_response_schema_applies,
)
def response_schema_conformance(ctx: CheckContext) -> Iterator[Failure]:
    found = _json_schema_of(ctx)
    assert found is not None
    pointer, _ = found
    body = ctx.response.json
    if body is None:
        yield Failure(
            "Response body is not valid JSON", "Documented: a JSON body", f"Received: {ctx.response.content[:80]!r}"
        )
        return
    yield from schema_failures(ctx.spec, pointer, body)


def schema_failures(spec: Any, pointer: str, value: Any, *, where: str = "") -> Iterator[Failure]:
    """Validation errors of ``value`` against the schema at ``pointer``, most telling first."""
    from jsonschema.exceptions import relevance

    if spec.is_valid(pointer, value):
        return
    errors = sorted(spec.validator(pointer).iter_errors(value), key=relevance)
    for error in errors[:_MAX_SCHEMA_ERRORS]:
        keyword_path = "/".join(str(p) for p in list(error.schema_path)[1:])
        yield Failure(
            f"{where}{error.message[:200]}",
            expected=f"Documented: {error.validator} {_short(error.validator_value)}",
            got=f"Received: {_short(error.instance)}",
            pointer=join_pointer("", *error.absolute_path),
            schema_pointer=f"{pointer}#{keyword_path}" if keyword_path else pointer,
            schema_excerpt=_excerpt(error.schema),
        )


def _excerpt(schema: Any) -> Any:
    """The violated schema without its long prose, which helps nobody in a report."""
    if not isinstance(schema, dict):
        return schema
    text = json.dumps(schema, default=str)
    if len(text) > 1500:
        return {k: v for k, v in schema.items() if k not in ("description", "properties", "x-example")}
    return {k: v for k, v in schema.items() if k != "description"}


@check(
    "negative_rejected",
    "A request that breaks the request schema is rejected with a 4xx, not accepted or a 5xx.",
    source="convention",
    applies=lambda ctx: ctx.case.is_negative,
)
def negative_rejected_conformance(ctx: CheckContext) -> Iterator[Failure]:
    status = ctx.response.status
    if not 400 <= status < 500:
        rule = ctx.case.rule
        detail = f"{rule.name} at {rule.pointer or '/'}: {rule.detail}" if rule else ctx.case.mode
        yield Failure(
            f"Invalid request accepted ({detail})" if status < 400 else f"Invalid request answered {status} ({detail})",
            expected="a 4xx status",
            got=f"Received: {status}",
        )


@check(
    "error_envelope",
    'Every 4xx answer is {"error": {"message", "type", "param", "code"}}.',
    source="convention",
    applies=lambda ctx: 400 <= ctx.response.status < 500,
)
def error_envelope_conformance(ctx: CheckContext) -> Iterator[Failure]:
    body = ctx.response.json
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        yield Failure(
            "Error without the OpenAI error envelope",
            expected='{"error": {"message", "type", "param", "code"}}',
            got=f"Received: {_short(body if body is not None else ctx.response.content[:80])}",
        )
        return
    missing = [key for key in _ERROR_KEYS if key not in error]
    if missing:
        yield Failure(
            f"Error envelope lacks {', '.join(missing)}",
            expected=f"keys {', '.join(_ERROR_KEYS)}",
            got=f"keys {', '.join(error)}",
            pointer="/error",
        )
    elif not isinstance(error.get("message"), str) or not isinstance(error.get("type"), str):
        yield Failure("Error message and type must be strings", "strings", _short(error), pointer="/error")


def example_response(ctx: CheckContext) -> str | None:
    """The x-oaiMeta response of the example whose request the case replays.

    An operation of 2.3.0 has several titled examples (plain, streamed, with
    tools); the case's body keys name the one it came from, else the first.
    """
    from openai_conformance.spec import parse_curl

    blocks = [b for b in (ctx.operation.meta.blocks if ctx.operation.meta else ()) if b.response]
    keys = set(ctx.case.json) if isinstance(ctx.case.json, dict) else set(ctx.case.form or {})
    for block in blocks:
        try:
            curl = parse_curl(block.request.get("curl", ""))
        except Exception:  # noqa: BLE001 - an unreadable curl names no request
            continue
        shown = curl.json if isinstance(curl.json, dict) else curl.form or {}
        if set(shown) == keys:
            return block.response
    return blocks[0].response if blocks else None


def _example_applies(ctx: CheckContext) -> bool:
    return ctx.case.mode == "example" and is_success(ctx) and example_response(ctx) is not None


@check(
    "example_shape",
    "The answer to an x-oaiMeta example request has the example's keys and JSON types, "
    "where its schema defines them (only required keys are demanded).",
    source="spec",
    applies=_example_applies,
)
def example_shape_conformance(ctx: CheckContext) -> Iterator[Failure]:
    from openai_conformance.spec import example_shape_differences, example_to_json, parse_example

    parsed = parse_example(example_response(ctx) or "")
    if parsed.error is not None or ctx.response.json is None:
        return  # unparseable examples are spec lint findings, not the target's fault
    found = _json_schema_of(ctx)
    schema = found[1] if found else {}  # undocumented: nothing is promised
    differences = example_shape_differences(parsed.value, ctx.response.json, schema=schema, resolve=ctx.spec.resolve)
    if differences:
        first = differences[0]
        yield Failure(
            f"Response differs from the x-oaiMeta example at {first.pointer or '/'}"
            + (f" (+{len(differences) - 1} more)" if len(differences) > 1 else ""),
            expected=str(first.expected),
            got=str(first.got),
            pointer=first.pointer,
            example_diff={
                "example": example_to_json(parsed.value),
                "actual": ctx.response.json,
                "differences": [
                    {"pointer": d.pointer, "expected": str(d.expected), "got": str(d.got)} for d in differences
                ],
            },
        )


# The catalogue takes these in one call (checks.py), in this order.
CHECKS_HERE = (
    server_error_conformance,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_rejected_conformance,
    error_envelope_conformance,
    example_shape_conformance,
)
