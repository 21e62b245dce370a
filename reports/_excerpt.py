"""Cutting request/response material down to what a person reads in a report.

Bodies are cut at a sensible length and binary is shown as type and size, so
that a run with a thousand findings still renders into a light page.
"""

from __future__ import annotations

import json
from typing import Any

from openai_conformance.results import BodyKind

BODY_LIMIT = 1_000
SCHEMA_LIMIT = 1_500


def cut(text: str | None, limit: int = BODY_LIMIT) -> str:
    """``text`` cut at ``limit`` characters with a note saying how much was left out."""
    if not text:
        return ""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}\u2026 [{len(text) - limit:,} more characters cut]"


def pretty_json(value: Any, limit: int = SCHEMA_LIMIT) -> str:
    return cut(json.dumps(value, indent=2, ensure_ascii=False, sort_keys=False), limit)


def body(message: dict[str, Any] | None) -> str:
    """The body of a recorded request or response as report text."""
    if not message:
        return ""
    kind, size = BodyKind(message["body_kind"]), message["body_size"]
    if kind is BodyKind.NONE:
        return "(no body)"
    if kind is BodyKind.BINARY:
        return f"(binary: {message['content_type'] or 'unknown type'}, {size:,} bytes)"
    text = message["body_excerpt"] or ""
    if kind is BodyKind.JSON:
        try:
            text = json.dumps(json.loads(text), indent=2, ensure_ascii=False)
        except ValueError:
            pass  # the excerpt was already cut by the runner: show it as it is
    note = f"\n[{kind.value}, {size:,} bytes in all]" if size > len(message["body_excerpt"] or "") else ""
    return cut(text) + note


def headers(message: dict[str, Any] | None) -> str:
    if not message:
        return ""
    return "\n".join(f"{name}: {value}" for name, value in message["headers"].items())


def request_line(request: dict[str, Any]) -> str:
    return f"{request['method']} {request['url']}"


def status_line(response: dict[str, Any] | None) -> str:
    if response is None:
        return "(no response)"
    return f"HTTP {response['status']} {response['content_type'] or ''}".rstrip()
