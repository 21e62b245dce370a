"""The Responses API's semantics: what a ``response`` object must say given what was asked.

Rules from the 2.3.0 document (``Response``, ``ResponseUsage``, ``incomplete_details``,
``output_text`` "SDK-only convenience property ... aggregated text output") and the
official SDK (``Response.output_text`` joins every ``output_text`` part of every message).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from ..results._tally import Failure
from ._base import CheckContext, body_of, check, is_success, mapping, schema_errors
from ._responses_reading import final_response, is_response_object, output_items, output_text


def _answered_response(ctx: CheckContext) -> dict[str, Any] | None:
    """The response object the answer holds: the body, or a stream's final response."""
    if not is_success(ctx):
        return None
    if ctx.case.streams:
        return final_response(ctx.response.events)
    body = ctx.response.json
    return body if is_response_object(body) else None


def _tools(ctx: CheckContext) -> dict[str, Any]:
    tools = body_of(ctx).get("tools")
    found = {}
    for tool in tools if isinstance(tools, list) else []:
        if isinstance(tool, dict) and tool.get("type") == "function" and isinstance(tool.get("name"), str):
            found[tool["name"]] = tool.get("parameters")
    return found


def _json_schema_format(ctx: CheckContext) -> dict[str, Any] | None:
    text = body_of(ctx).get("text")
    fmt = text.get("format") if isinstance(text, dict) else None
    return (
        fmt
        if isinstance(fmt, dict) and fmt.get("type") == "json_schema" and isinstance(fmt.get("schema"), dict)
        else None
    )


@check(
    "response_output_consistent",
    "A Responses answer's output_text is its messages' text; function calls name an offered tool "
    "with JSON arguments valid against its parameters; text.format json_schema output validates.",
    source="semantics",
    applies=lambda ctx: _answered_response(ctx) is not None,
)
def response_output_consistent_conformance(ctx: CheckContext) -> Iterator[Failure]:
    body = _answered_response(ctx) or {}
    text = output_text(body)
    if isinstance(body.get("output_text"), str) and body["output_text"] != text:
        yield Failure(
            "output_text differs from the output messages' text",
            repr(text[:120]),
            repr(body["output_text"][:120]),
            pointer="/output_text",
        )
    yield from _function_call_failures(ctx, body)
    fmt = _json_schema_format(ctx)
    if fmt is not None and body.get("status") == "completed" and output_items(body, "message"):
        try:
            value = json.loads(text)
        except ValueError:
            yield Failure(
                "text.format json_schema answered text that is not JSON", "JSON", repr(text[:120]), pointer="/output"
            )
            return
        for message in schema_errors(fmt["schema"], value)[:1]:
            yield Failure(
                f"Output does not follow text.format {fmt.get('name', 'schema')}: {message}",
                "JSON valid against the asked schema",
                repr(text[:120]),
                pointer="/output",
            )


def _function_call_failures(ctx: CheckContext, body: dict[str, Any]) -> Iterator[Failure]:
    tools = _tools(ctx)
    seen: set[str] = set()
    for i, item in enumerate(body.get("output") or []):
        if not isinstance(item, dict) or item.get("type") != "function_call":
            continue
        where = f"/output/{i}"
        call_id, name = item.get("call_id"), item.get("name")
        if not isinstance(call_id, str) or not call_id or call_id in seen:
            yield Failure(
                "function_call without a unique call_id",
                "a call_id of its own",
                repr(call_id),
                pointer=f"{where}/call_id",
            )
        seen.add(str(call_id))
        if name not in tools:
            yield Failure(
                f"function_call names {name!r}, not an offered tool",
                ", ".join(tools) or "no tools offered",
                repr(name),
                pointer=f"{where}/name",
            )
            continue
        try:
            arguments = json.loads(item.get("arguments") or "")
        except (TypeError, ValueError):
            yield Failure(
                "function_call arguments are not JSON",
                "a JSON object",
                repr(item.get("arguments"))[:120],
                pointer=f"{where}/arguments",
            )
            continue
        schema = tools[name]
        for message in schema_errors(schema, arguments)[:1] if isinstance(schema, dict) else []:
            yield Failure(
                f"function_call arguments break {name}'s parameters: {message}",
                "arguments valid against the tool's parameters",
                repr(item.get("arguments"))[:120],
                pointer=f"{where}/arguments",
            )


def _cancelled_expected(ctx: CheckContext) -> bool:
    return ctx.operation.method == "POST" and ctx.operation.path.endswith("/cancel")


@check(
    "response_status",
    "A Responses answer is incomplete, with incomplete_details.reason, exactly when it stopped early; "
    "output_tokens stay within max_output_tokens; a cancel answers status cancelled.",
    source="semantics",
    applies=lambda ctx: _answered_response(ctx) is not None,
)
def response_status_conformance(ctx: CheckContext) -> Iterator[Failure]:
    body = _answered_response(ctx) or {}
    status, details = body.get("status"), body.get("incomplete_details")
    reason = details.get("reason") if isinstance(details, dict) else None
    if _cancelled_expected(ctx):
        if status != "cancelled":
            yield Failure(
                "Cancel answered a response that is not cancelled",
                "status cancelled",
                f"status {status}",
                pointer="/status",
            )
        return
    if status == "incomplete" and not reason:
        yield Failure(
            "Incomplete response without a reason",
            "incomplete_details.reason",
            repr(details),
            pointer="/incomplete_details",
        )
    if status != "incomplete" and reason:
        yield Failure(
            f"incomplete_details.reason {reason!r} on a {status} response",
            "status incomplete",
            f"status {status}",
            pointer="/status",
        )
    limit = body_of(ctx).get("max_output_tokens")
    usage = mapping(body.get("usage"))
    used = usage.get("output_tokens")
    if isinstance(limit, int) and isinstance(used, int) and used > limit:
        yield Failure(
            f"{used} output tokens for max_output_tokens={limit}",
            f"at most {limit}",
            str(used),
            pointer="/usage/output_tokens",
        )
        if status == "completed":
            yield Failure(
                "max_output_tokens hit, yet status completed",
                "status incomplete, reason max_output_tokens",
                "status completed",
                pointer="/status",
            )


# The catalogue takes these in one call (checks.py), in this order.
CHECKS_HERE = (response_output_consistent_conformance, response_status_conformance)
