"""One probe per fault of the 2.x surface (chat, embeddings, Responses), against a
server of the newest document: True when the fault's wrong behaviour shows."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

from server_helpers import Client

Probe = Callable[[Client], bool]
MODEL = "gpt-4o-mini"
ASK = [{"role": "user", "content": "Say this is a test"}]
WEATHER = {
    "type": "object",
    "properties": {"city": {"type": "string"}},
    "required": ["city"],
    "additionalProperties": False,
}
TOOLS = [{"type": "function", "function": {"name": "get_weather", "parameters": WEATHER}}]


def chat(client: Client, **body: Any) -> dict[str, Any]:
    return client.post("/chat/completions", json={"model": MODEL, "messages": ASK, **body}).json()


def chat_events(client: Client, **body: Any) -> list[str]:
    """The ``data:`` payloads of a chat stream."""
    text = client.post("/chat/completions", json={"model": MODEL, "messages": ASK, "stream": True, **body}).text
    return [f[len("data: ") :] for f in text.split("\n\n") if f.startswith("data: ")]


def response_events(client: Client, **body: Any) -> list[dict[str, Any]]:
    """The events of a Responses stream, parsed (``event:`` and ``data:`` lines)."""
    text = client.post("/responses", json={"model": MODEL, "input": "Say this", "stream": True, **body}).text
    return [json.loads(frame.split("data: ", 1)[1]) for frame in text.split("\n\n") if "data: " in frame]


def _first(client: Client, **body: Any) -> dict[str, Any]:
    return chat(client, **body)["choices"][0]


def _cut_but_stop(client: Client) -> bool:
    return _first(client, max_completion_tokens=3)["finish_reason"] != "length"


def _extra_top(client: Client) -> bool:
    content = _first(client, logprobs=True, top_logprobs=2)["logprobs"]["content"]
    return any(len(entry["top_logprobs"]) != 2 for entry in content)


def _exceeds(client: Client) -> bool:
    return chat(client, max_tokens=4)["usage"]["completion_tokens"] > 4


def _stop_kept(client: Client) -> bool:
    words = (_first(client)["message"]["content"]).split()
    stop = f" {words[3]}"
    return stop in _first(client, stop=[stop])["message"]["content"]


def _usage_off(client: Client) -> bool:
    usage = chat(client)["usage"]
    return usage["total_tokens"] != usage["prompt_tokens"] + usage["completion_tokens"]


def _no_role(client: Client) -> bool:
    return "role" not in json.loads(chat_events(client)[0])["choices"][0]["delta"]


def _no_usage_chunk(client: Client) -> bool:
    chunks = chat_events(client, stream_options={"include_usage": True})
    last = json.loads([chunk for chunk in chunks if chunk != "[DONE]"][-1])
    return last["choices"] != [] or not last.get("usage")


def _no_done(client: Client) -> bool:
    return chat_events(client)[-1] != "[DONE]"


def _tool_choice_ignored(client: Client) -> bool:
    named = {"type": "function", "function": {"name": "get_weather"}}
    return any(
        not _first(client, tools=TOOLS, tool_choice=choice)["message"].get("tool_calls")
        for choice in ("required", named)
    )


def _bad_arguments(client: Client) -> bool:
    calls = _first(client, tools=TOOLS, tool_choice="required")["message"].get("tool_calls")
    return bool(calls) and "city" not in json.loads(calls[0]["function"]["arguments"])


def _schema_violated(client: Client) -> bool:
    fmt = {"type": "json_schema", "json_schema": {"name": "w", "strict": True, "schema": WEATHER}}
    return "city" not in json.loads(_first(client, response_format=fmt)["message"]["content"])


def _embed(client: Client, **body: Any) -> dict[str, Any]:
    return client.post("/embeddings", json={"model": "text-embedding-3-small", "input": "x", **body}).json()


def _wrong_model(client: Client) -> bool:
    return not chat(client)["model"].startswith(MODEL) or _embed(client)["model"] != ("text-embedding-3-small")


def _dimensions_ignored(client: Client) -> bool:
    return len(_embed(client, dimensions=64)["data"][0]["embedding"]) != 64


def _base64_short(client: Client) -> bool:
    encoded = _embed(client, encoding_format="base64")["data"][0]["embedding"]
    return len(base64.b64decode(encoded)) != 4 * 1536


def _create(client: Client, **body: Any) -> dict[str, Any]:
    return client.post("/responses", json={"model": MODEL, "input": "Say this", **body}).json()


def _text_mismatch(client: Client) -> bool:
    answer = _create(client)
    text = "".join(part["text"] for item in answer["output"] for part in item["content"])
    return answer["output_text"] != text


def _budget_ignored(client: Client) -> bool:
    return _create(client, max_output_tokens=16)["status"] != "incomplete"


def _sequence_shared(client: Client) -> bool:
    numbers = [event["sequence_number"] for event in response_events(client)]
    return len(set(numbers)) != len(numbers)


def _no_terminal(client: Client) -> bool:
    return response_events(client)[-1]["type"] != "response.completed"


def _delete_noop(client: Client) -> bool:
    response_id = _create(client)["id"]
    client.delete(f"/responses/{response_id}")
    return client.get(f"/responses/{response_id}").status_code == 200


MODERN_PROBES: dict[str, Probe] = {
    "chat_ignore_n": lambda c: len(chat(c, n=3)["choices"]) != 3,
    "chat_wrong_finish_reason": _cut_but_stop,
    "chat_extra_top_logprobs": _extra_top,
    "chat_exceed_max_tokens": _exceeds,
    "chat_keep_stop_sequence": _stop_kept,
    "chat_usage_mismatch": _usage_off,
    "chat_stream_no_role": _no_role,
    "chat_stream_no_usage_chunk": _no_usage_chunk,
    "chat_stream_no_done": _no_done,
    "chat_ignore_tool_choice": _tool_choice_ignored,
    "chat_bad_tool_arguments": _bad_arguments,
    "chat_schema_violation": _schema_violated,
    "chat_wrong_model": _wrong_model,
    "embedding_ignore_dimensions": _dimensions_ignored,
    "embedding_base64_short": _base64_short,
    "responses_text_mismatch": _text_mismatch,
    "responses_ignore_max_output_tokens": _budget_ignored,
    "responses_stream_sequence_gap": _sequence_shared,
    "responses_stream_no_completed": _no_terminal,
    "responses_delete_noop": _delete_noop,
}
