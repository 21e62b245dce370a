"""Probes of the A2 faults on the 2.x surface: each answers True when its fault's
wrong behaviour shows. They need a 2.3.0 server and its store (to keep a completion)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from server_helpers import Client

from openai_conformance.server._stored_chat import remember_chat_completion

SPEC = "openai-2.3.0-2026-08-21"
ModernProbe = Callable[[Client, Any], bool]
CHAT_REQUEST = {"model": "gpt-4o-mini", "store": True, "messages": [{"role": "user", "content": "hello"}]}


def fixture_completion(completion_id: str) -> dict[str, Any]:
    return {
        "id": completion_id,
        "object": "chat.completion",
        "created": 1,
        "model": "gpt-4o-mini",
        "choices": [
            {
                "index": 0,
                "finish_reason": "stop",
                "logprobs": None,
                "message": {"role": "assistant", "content": "hi", "refusal": None},
            }
        ],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


def batch_file(client: Client, count: int = 2) -> str:
    lines = [
        {
            "custom_id": f"req-{i}",
            "method": "POST",
            "url": "/v1/embeddings",
            "body": {"model": "text-embedding-ada-002", "input": f"line {i}"},
        }
        for i in range(count)
    ]
    data = "".join(json.dumps(line) + "\n" for line in lines).encode()
    return client.post("/files", files={"file": ("in.jsonl", data)}, data={"purpose": "batch"}).json()["id"]


def _not_listed(client: Client, store: Any) -> bool:
    remember_chat_completion(store, CHAT_REQUEST, fixture_completion("chatcmpl-probe"))
    listed = [c["id"] for c in client.get("/chat/completions").json()["data"]]
    return "chatcmpl-probe" not in listed


def _batch_mismatch(client: Client, _store: Any) -> bool:
    batch = client.post(
        "/batches", json={"input_file_id": batch_file(client), "endpoint": "/v1/embeddings", "completion_window": "24h"}
    ).json()
    done = client.get(f"/batches/{batch['id']}").json()
    lines = client.get(f"/files/{done['output_file_id']}/content").text.splitlines()
    return {json.loads(line)["custom_id"] for line in lines} != {"req-0", "req-1"}


def _cancel_stays(client: Client, _store: Any) -> bool:
    data = b'{"messages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}]}\n'
    file_id = client.post("/files", files={"file": ("t.jsonl", data)}, data={"purpose": "fine-tune"}).json()["id"]
    job = client.post("/fine_tuning/jobs", json={"model": "gpt-4o-mini", "training_file": file_id}).json()
    client.post(f"/fine_tuning/jobs/{job['id']}/cancel")
    return client.get(f"/fine_tuning/jobs/{job['id']}").json()["status"] != "cancelled"


MODERN_PROBES: dict[str, ModernProbe] = {
    "stored_completion_not_listed": _not_listed,
    "batch_output_mismatch": _batch_mismatch,
    "fine_tuning_cancel_noop": _cancel_stays,
}
