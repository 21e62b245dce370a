"""One probe per fault: a few requests that answer True when the fault's wrong
behaviour shows. The fault tests run each probe with and without its fault."""

from __future__ import annotations

import base64
import io
import json
import time
from collections.abc import Callable
from typing import Any

import requests
from PIL import Image
from server_helpers import TRAINING, Client, upload_file

from openai_conformance.server._text import count_tokens

Probe = Callable[[Client], bool]
PROMPT = "Say this is a test"


def _complete(client: Client, **body: Any) -> tuple[int, Any]:
    response = client.post(
        "/completions", json={"model": "text-davinci-003", "prompt": PROMPT, "max_tokens": 8, **body}
    )
    return response.status_code, response.json()


def _choices(client: Client, **body: Any) -> list[dict[str, Any]]:
    return _complete(client, **body)[1].get("choices", [])


def _stream_events(client: Client) -> list[str]:
    response = client.post("/completions", json={"model": "ada", "prompt": "x", "max_tokens": 3, "stream": True})
    return [f[len("data: ") :] for f in response.text.split("\n\n") if f.startswith("data: ")]


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def _usage_off(client: Client) -> bool:
    usage = _complete(client, n=2)[1].get("usage")
    return (
        usage is not None
        and "total_tokens" in usage
        and usage["total_tokens"] != (usage["prompt_tokens"] + usage["completion_tokens"])
    )


def _stop_kept(client: Client) -> bool:
    words = (_choices(client, max_tokens=20)[0]["text"] or "").split()
    if len(words) < 3:
        return False
    stop = words[2]
    return stop in (_choices(client, max_tokens=20, stop=stop)[0]["text"] or "")


def _echo_ignored(client: Client) -> bool:
    text = _choices(client, echo=True)[0]["text"]
    return isinstance(text, str) and not text.startswith(PROMPT)


def _too_many_logprobs(client: Client) -> bool:
    logprobs = _choices(client, logprobs=1)[0]["logprobs"]
    return any(len(top) > 2 for top in logprobs["top_logprobs"])


def _embedding_indices(client: Client) -> list[int] | None:
    answer = client.post("/embeddings", json={"model": "text-embedding-ada-002", "input": ["a", "b", "c"]}).json()
    return [item["index"] for item in answer["data"]] if "data" in answer else None


def _indices_out_of_order(client: Client) -> bool:
    indices = _embedding_indices(client)
    return indices is not None and indices != [0, 1, 2]


def _choice_indices_wrong(client: Client) -> bool:
    indices = [choice["index"] for choice in _choices(client, n=3)]
    return indices != list(range(len(indices)))


def _moderation_inconsistent(client: Client) -> bool:
    results = client.post("/moderations", json={"input": ["hello", "kill"]}).json().get("results", [])
    return any(r["flagged"] != any(r["categories"].values()) for r in results)


def _image_size(client: Client) -> tuple[int, int]:
    answer = client.post(
        "/images/generations", json={"prompt": "An otter", "size": "256x256", "response_format": "b64_json"}
    ).json()
    return Image.open(io.BytesIO(base64.b64decode(answer["data"][0]["b64_json"]))).size


def _download_differs(client: Client) -> bool:
    file_id = upload_file(client, TRAINING).json()["id"]
    return client.get(f"/files/{file_id}/content").content != TRAINING


def _delete_kept(client: Client) -> bool:
    file_id = upload_file(client, TRAINING).json()["id"]
    deleted = client.delete(f"/files/{file_id}").json()
    return deleted.get("deleted") is True and client.get(f"/files/{file_id}").status_code == 200


def _cancel_ignored(client: Client) -> bool:
    file_id = upload_file(client, TRAINING).json()["id"]
    job = client.post("/fine-tunes", json={"training_file": file_id}).json()
    client.post(f"/fine-tunes/{job['id']}/cancel")
    return client.get(f"/fine-tunes/{job['id']}").json()["status"] != "cancelled"


def _models_differ(client: Client) -> bool:
    listed = client.get("/models").json()["data"]
    return any(client.get(f"/models/{m['id']}").json() != m for m in listed[:3])


def _rate_limited(client: Client) -> bool:
    answers = [client.get("/models") for _ in range(10)]
    limited = [a for a in answers if a.status_code == 429]
    return len(limited) == 2 and all(
        a.headers.get("retry-after") == "0.05" and a.json()["error"]["type"] == "rate_limit_error" for a in limited
    )


def _slow(client: Client) -> bool:
    started = time.monotonic()
    client.get("/models")
    return time.monotonic() - started >= 1.9


PROBES: dict[str, Probe] = {
    "missing_required_field": lambda c: "created" not in _complete(c)[1],
    "wrong_field_type": lambda c: isinstance(_complete(c)[1].get("created"), str),
    "null_not_nullable": lambda c: _choices(c)[0]["text"] is None,
    "undocumented_status": lambda c: _complete(c)[0] == 201,
    "wrong_content_type": lambda c: c.get("/models").headers["content-type"].startswith("text/plain"),
    "server_error": lambda c: _complete(c, temperature=0.5)[0] == 500,
    "no_validation": lambda c: (
        c.post("/completions", json={"model": 12}).status_code == 200
        and c.post("/completions", data=b"{", headers={"Content-Type": "application/json"}).status_code == 200
    ),
    "bare_errors": lambda c: "error" not in c.get("/models/nope").json(),
    "no_auth": lambda c: requests.get(c.server.base_url + "/models", timeout=10).status_code == 200,
    "ignore_n": lambda c: len(_choices(c, n=3)) != 3,
    "wrong_choice_index": _choice_indices_wrong,
    "usage_mismatch": _usage_off,
    "exceed_max_tokens": lambda c: count_tokens(_choices(c, max_tokens=5)[0]["text"] or "") > 5,
    "keep_stop_sequence": _stop_kept,
    "ignore_echo": _echo_ignored,
    "logprobs_too_many": _too_many_logprobs,
    "embedding_wrong_dimension": lambda c: (
        len(
            c.post("/embeddings", json={"model": "text-embedding-ada-002", "input": "x"}).json()["data"][0]["embedding"]
        )
        != 1536
    ),
    "embedding_out_of_order": _indices_out_of_order,
    "moderation_inconsistent": _moderation_inconsistent,
    "image_wrong_size": lambda c: _image_size(c) != (256, 256),
    "file_content_altered": _download_differs,
    "delete_noop": _delete_kept,
    "stream_no_done": lambda c: _stream_events(c)[-1] != "[DONE]",
    "stream_bad_json": lambda c: not all(_is_json(e) for e in _stream_events(c) if e != "[DONE]"),
    "cancel_noop": _cancel_ignored,
    "models_inconsistent": _models_differ,
    "example_shape_drift": lambda c: "total_tokens" not in _complete(c)[1].get("usage", {"total_tokens": 0}),
    "edits_not_implemented": lambda c: (
        c.post("/edits", json={"model": "text-davinci-edit-001", "instruction": "Fix it"}).status_code == 404
    ),
    "reject_valid_searches": lambda c: (
        c.post(
            "/engines/davinci/search", json={"query": "the happy puppy", "documents": ["a happy puppy", "a sad cat"]}
        ).status_code
        == 400
    ),
    "rate_limited": _rate_limited,
    "slow_responses": _slow,
}

# Faults that touch every request (slowness, 429s): other probes are not run under them.
PERVASIVE = frozenset({"rate_limited", "slow_responses"})
