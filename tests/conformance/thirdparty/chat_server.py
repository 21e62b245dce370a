"""Chat completions, embeddings and models the way a vLLM or llama.cpp-style server answers them.

Words are tokens; answers carry the extras such servers add (``system_fingerprint``,
``service_tier``, a ``provider`` extension). Each name in ``BUGS`` switches on one deviation.
"""

from __future__ import annotations

import base64
import hashlib
import json
import struct
from collections.abc import Iterator
from typing import Any

from ._app import Reply, Request, Route, error, invalid

BUGS = {
    "stream_no_done": "chat streams end without data: [DONE]",
    "stream_bad_chunk": "a chunk's finish_reason is 'finished', which the chunk schema does not allow",
    "stream_unterminated": "the last event of a chat stream has no blank line after it",
}
MODELS = {"tp-chat-small": "chat", "gpt-4o-mini": "chat", "tp-embed": "embedding", "text-embedding-3-small": "embedding"}
EMBED_SIZE = {"tp-embed": 8, "text-embedding-3-small": 1536}
ANSWER = "This is a test answer from a small third party server"
CREATED = 1_760_000_000


def _words(messages: Any) -> list[str]:
    """The answer's tokens: a fixed sentence, as a model would answer anything."""
    return [w + " " for w in ANSWER.split()[:-1]] + [ANSWER.split()[-1]]


def _cut(body: dict[str, Any]) -> tuple[str, str, int]:
    """(content, finish_reason, completion tokens) after max tokens and stop sequences."""
    tokens = _words(body.get("messages"))
    limits = [v for v in (body.get("max_completion_tokens"), body.get("max_tokens")) if isinstance(v, int)]
    limit = min(limits) if limits else None
    finish = "stop"
    if isinstance(limit, int) and limit < len(tokens):
        tokens, finish = tokens[:limit], "length"
    text = "".join(tokens)
    stops = body.get("stop")
    for stop in [stops] if isinstance(stops, str) else stops or []:
        if stop and stop in text:
            text, finish = text[: text.index(stop)], "stop"
            tokens = text.split(" ")
    return text, finish, len(tokens)


def _usage(body: dict[str, Any], completion: int) -> dict[str, Any]:
    prompt = sum(len(str(m.get("content", "")).split()) for m in body.get("messages") or [] if isinstance(m, dict))
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion,
            "completion_tokens_details": {"reasoning_tokens": 0}, "prompt_tokens_details": {"cached_tokens": 0}}


def _chunk(cid: str, model: str, choices: list[dict[str, Any]], **extra: Any) -> bytes:
    chunk = {"id": cid, "object": "chat.completion.chunk", "created": CREATED, "model": model,
             "system_fingerprint": "fp_tp01", "choices": choices, **extra}
    return f"data: {json.dumps(chunk)}\n\n".encode()


def _stream(req: Request, body: dict[str, Any], cid: str) -> Iterator[bytes]:
    model, n = body["model"], body.get("n") or 1
    text, finish, completion = _cut(body)
    for index in range(n):
        yield _chunk(cid, model, [{"index": index, "delta": {"role": "assistant", "content": ""}, "finish_reason": None}])
        for word in text.split(" "):
            yield _chunk(cid, model, [{"index": index, "delta": {"content": word + " "}, "finish_reason": None}])
        reason = "finished" if "stream_bad_chunk" in req.bugs else finish
        yield _chunk(cid, model, [{"index": index, "delta": {}, "finish_reason": reason}])
    if (body.get("stream_options") or {}).get("include_usage"):
        yield _chunk(cid, model, [], usage=_usage(body, completion * n))
    if "stream_no_done" not in req.bugs:
        yield b"data: [DONE]" + (b"\n" if "stream_unterminated" in req.bugs else b"\n\n")


def chat_completions(req: Request) -> Reply:
    if (rejected := invalid(req)) is not None:
        return rejected
    body = req.body
    model = body.get("model")
    if MODELS.get(str(model)) != "chat":
        return error(404, f"The model `{model}` does not exist.", param="model")
    if not isinstance(body.get("messages"), list) or not body["messages"]:
        return error(400, "'messages' must be a non-empty array.", param="messages")
    cid = "chatcmpl-" + hashlib.sha1(json.dumps(body, sort_keys=True).encode()).hexdigest()[:20]
    if body.get("stream") is True:
        return Reply(stream=_stream(req, body, cid))
    text, finish, completion = _cut(body)
    n = body.get("n") or 1
    choices = [{"index": i, "message": {"role": "assistant", "content": text, "refusal": None},
                "logprobs": None, "finish_reason": finish} for i in range(n)]
    return Reply(body={"id": cid, "object": "chat.completion", "created": CREATED, "model": model,
                       "choices": choices, "usage": _usage(body, completion * n), "service_tier": "default",
                       "system_fingerprint": "fp_tp01", "provider": {"name": "thirdparty", "latency_ms": 3}})


def _vector(text: str, size: int) -> list[float]:
    seed = hashlib.sha256(text.encode()).digest()
    # float32-exact values, so the base64 form and the float form are the same vector
    return [struct.unpack("<f", struct.pack("<f", (seed[i % 32] - 128) / 128))[0] for i in range(size)]


def embeddings(req: Request) -> Reply:
    if (rejected := invalid(req)) is not None:
        return rejected
    body = req.body
    model = body.get("model")
    if MODELS.get(str(model)) != "embedding":
        return error(404, f"The model `{model}` does not exist.", param="model")
    raw = body.get("input")
    inputs = raw if isinstance(raw, list) and raw and not all(isinstance(t, int) for t in raw) else [raw]
    size = body.get("dimensions") if isinstance(body.get("dimensions"), int) else EMBED_SIZE[model]
    data = []
    for i, item in enumerate(inputs):
        vector = _vector(json.dumps(item), size)
        if body.get("encoding_format") == "base64":
            packed = base64.b64encode(struct.pack(f"<{size}f", *vector)).decode()
            data.append({"object": "embedding", "index": i, "embedding": packed})
        else:
            data.append({"object": "embedding", "index": i, "embedding": vector})
    tokens = sum(len(json.dumps(item).split()) for item in inputs)
    return Reply(body={"object": "list", "data": data, "model": model,
                       "usage": {"prompt_tokens": tokens, "total_tokens": tokens}})


def _model(name: str) -> dict[str, Any]:
    return {"id": name, "object": "model", "created": CREATED, "owned_by": "thirdparty"}


def list_models(req: Request) -> Reply:
    return Reply(body={"object": "list", "data": [_model(m) for m in MODELS]})


def retrieve_model(req: Request) -> Reply:
    name = req.match.group("model")
    if name not in MODELS:
        return error(404, f"The model '{name}' does not exist", param="model")
    return Reply(body=_model(name))


routes: list[Route] = [
    ("POST", r"/chat/completions", chat_completions),
    ("POST", r"/embeddings", embeddings),
    ("GET", r"/models", list_models),
    ("GET", r"/models/(?P<model>[^/]+)", retrieve_model),
]
