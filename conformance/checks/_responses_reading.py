"""Reading a Responses API answer: its output text, function calls, usage and stream events.

Shared by the Responses checks and the 2.x workflows. A stream event is read by
its JSON ``type`` (the Responses API names every event in its data too), so the
reader works on raw ``data:`` payloads and on parsed SSE events alike.
"""

from __future__ import annotations

import json
from typing import Any

TERMINAL_EVENTS = ("response.completed", "response.incomplete", "response.failed")


def is_response_object(body: Any) -> bool:
    return isinstance(body, dict) and body.get("object") == "response"


def output_items(body: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    items = body.get("output")
    return [i for i in items if isinstance(i, dict) and i.get("type") == kind] if isinstance(items, list) else []


def output_text(body: dict[str, Any]) -> str:
    """What the SDKs' ``output_text`` is: every output_text part of every message, joined."""
    parts = []
    for message in output_items(body, "message"):
        for part in message.get("content") or []:
            if isinstance(part, dict) and part.get("type") == "output_text" and isinstance(part.get("text"), str):
                parts.append(part["text"])
    return "".join(parts)


def event_objects(events: list[Any] | None) -> list[dict[str, Any]]:
    """The JSON object of each event, its ``type`` filled from the SSE event name if absent."""
    found = []
    for event in events or []:
        payload = event if isinstance(event, str) else getattr(event, "data", None)
        try:
            data = json.loads(payload) if isinstance(payload, str) else None
        except ValueError:
            continue
        if isinstance(data, dict):
            name = getattr(event, "event", None)
            if "type" not in data and isinstance(name, str):
                data = {**data, "type": name}
            found.append(data)
    return found


def is_responses_stream(events: list[Any] | None) -> bool:
    objects = event_objects(events)
    return bool(objects) and all(str(o.get("type", "")).startswith(("response.", "error")) for o in objects)


def final_response(events: list[Any] | None) -> dict[str, Any] | None:
    """The response a stream's terminal event carries, if it has one."""
    for data in event_objects(events):
        if data.get("type") in TERMINAL_EVENTS and isinstance(data.get("response"), dict):
            return data["response"]
    return None
