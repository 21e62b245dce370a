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

from stdlib_server import Reply, Request, Route, error, invalid

BUGS = {
    "stream_no_done": "chat streams end without data: [DONE]",
    "stream_bad_chunk": "chunks say object 'chat.completion', which the chunk schema does not allow",
    "stream_unterminated": "the last event of a chat stream has no blank line after it",
    "ignore_n": "one choice whatever n asks",
    "wrong_finish_reason": "finish_reason stop when max_completion_tokens cut the answer",
    "extra_top_logprobs": "one top_logprobs entry more than asked",
    "no_usage_chunk": "no usage chunk under stream_options.include_usage",
    "stream_no_role": "the first delta has no role",
    "ignore_tool_choice": "plain text answered to tool_choice required",
    "bad_tool_arguments": "tool call arguments lack the tool's required properties",
    "schema_violation": "strict json_schema content lacks a required property",
    "wrong_model": "answers its own model id, not the one asked",
    "base64_short": "base64 embeddings one float32 short",
    "ignore_dimensions": "the model's full size whatever dimensions asks",
    "keep_stop": "content cut after the stop sequence, which stays in it",
}
CHECK_OF_BUG = {  # bug -> the checks that must find it, and only they
    "stream_no_done": "stream_format",
    "stream_bad_chunk": "stream_format",
    "stream_unterminated": "stream_format",
    "ignore_n": "choices_count",
    "wrong_finish_reason": "finish_reason_consistent",
    "extra_top_logprobs": "chat_logprobs",
    "no_usage_chunk": "stream_usage",
    "stream_no_role": "chat_stream_consistent",
    "ignore_tool_choice": "tool_choice_honoured",
    "bad_tool_arguments": "tool_calls_valid",
    "schema_violation": "structured_output",
    "wrong_model": "model_echoed",
    "base64_short": "embedding_base64",
    "ignore_dimensions": "embedding_count_order_dimension,embedding_base64",  # both rules read dimensions
    "keep_stop": "stop_respected",
}
MODELS = {
    "tp-chat-small": "chat",
    "gpt-4o-mini": "chat",
    "tp-embed": "embedding",
    "text-embedding-3-small": "embedding",
}
EMBED_SIZE = {"tp-embed": 8, "text-embedding-3-small": 1536}
ANSWER = "This is a test answer from a small third party server"
CREATED = 1_760_000_000


def _words(messages: Any) -> list[str]:
    """The answer's tokens: a fixed sentence, as a model would answer anything."""
    return [w + " " for w in ANSWER.split()[:-1]] + [ANSWER.split()[-1]]


def _cut(body: dict[str, Any], bugs: frozenset[str] = frozenset()) -> tuple[str, str, int]:
    """(content, finish_reason, completion tokens) after max tokens and stop sequences."""
    tokens = _words(body.get("messages"))
    # max_completion_tokens replaces the deprecated max_tokens when both come
    limit = next((v for v in (body.get("max_completion_tokens"), body.get("max_tokens")) if isinstance(v, int)), None)
    finish = "stop"
    if isinstance(limit, int) and limit < len(tokens):
        tokens, finish = tokens[:limit], "stop" if "wrong_finish_reason" in bugs else "length"
    text = "".join(tokens)
    stops = body.get("stop")
    for stop in [stops] if isinstance(stops, str) else stops or []:
        if stop and stop in text:
            end = text.index(stop) + (len(stop) if "keep_stop" in bugs else 0)
            text, finish = text[:end], "stop"
            tokens = text.split(" ")
    return text, finish, len(tokens)


def instance(schema: Any) -> Any:
    """The smallest value a JSON schema accepts, as a grammar-constrained decoder would emit."""
    if not isinstance(schema, dict):
        return None
    for keyword in ("anyOf", "oneOf"):
        if isinstance(schema.get(keyword), list) and schema[keyword]:
            return instance(schema[keyword][0])
    if "const" in schema:
        return schema["const"]
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        return schema["enum"][0]
    kind = schema.get("type")
    kind = kind[0] if isinstance(kind, list) and kind else kind
    if kind == "object" or "properties" in schema:
        props = schema.get("properties") if isinstance(schema.get("properties"), dict) else {}
        return {name: instance(props.get(name)) for name in schema.get("required") or [] if isinstance(name, str)}
    if kind == "array":
        return [instance(schema.get("items"))] * int(schema.get("minItems") or 0)
    simple = {"string": "x" * int(schema.get("minLength") or 1), "boolean": True, "null": None}
    if kind in simple:
        return simple[kind]
    if kind in ("integer", "number"):
        return schema.get("minimum", 1)
    return None


def _tool_calls(body: dict[str, Any], cid: str, bugs: frozenset[str]) -> list[dict[str, Any]] | None:
    """The calls a model makes: to the named tool, or the first one under "required"."""
    tools = [
        t["function"] for t in body.get("tools") or [] if isinstance(t, dict) and isinstance(t.get("function"), dict)
    ]
    choice = body.get("tool_choice")
    if not tools or choice in (None, "none", "auto") or "ignore_tool_choice" in bugs:
        return None
    named = choice.get("function", {}).get("name") if isinstance(choice, dict) else None
    tool = next((t for t in tools if t.get("name") == named), tools[0])
    arguments = json.dumps(
        {} if "bad_tool_arguments" in bugs else instance(tool.get("parameters") or {"type": "object"}) or {}
    )
    return [{"id": f"call_{cid[-8:]}", "type": "function", "function": {"name": tool["name"], "arguments": arguments}}]


def _content(body: dict[str, Any], text: str, bugs: frozenset[str]) -> str:
    """The answer as the response_format asks: JSON for json_schema and json_object."""
    fmt = body.get("response_format") if isinstance(body.get("response_format"), dict) else {}
    if fmt.get("type") == "json_schema":
        value = instance((fmt.get("json_schema") or {}).get("schema") or {"type": "object"})
        return json.dumps({} if "schema_violation" in bugs else value)
    if fmt.get("type") == "json_object":
        return json.dumps({"answer": text})
    return text


def _logprobs(body: dict[str, Any], text: str, bugs: frozenset[str]) -> dict[str, Any] | None:
    if body.get("logprobs") is not True:
        return None
    top = (body.get("top_logprobs") or 0) + ("extra_top_logprobs" in bugs)

    def entry(token: str, rank: int = 0) -> dict[str, Any]:
        return {"token": token, "logprob": -0.5 * rank - 0.1, "bytes": list(token.encode())}

    content = [
        {**entry(word), "top_logprobs": [entry(word + "?" * r, r) for r in range(top)]}
        for word in text.split(" ")
        if word
    ]
    return {"content": content, "refusal": None}


def _usage(body: dict[str, Any], completion: int) -> dict[str, Any]:
    prompt = sum(len(str(m.get("content", "")).split()) for m in body.get("messages") or [] if isinstance(m, dict))
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
        "completion_tokens_details": {"reasoning_tokens": 0},
        "prompt_tokens_details": {"cached_tokens": 0},
    }


def _chunk(cid: str, model: str, choices: list[dict[str, Any]], bad: bool = False, **extra: Any) -> bytes:
    chunk = {
        "id": cid,
        "object": "chat.completion" if bad else "chat.completion.chunk",
        "created": CREATED,
        "model": model,
        "system_fingerprint": "fp_tp01",
        "choices": choices,
        **extra,
    }
    return f"data: {json.dumps(chunk)}\n\n".encode()


def _stream(req: Request, body: dict[str, Any], cid: str) -> Iterator[bytes]:
    model, n = body["model"], body.get("n") or 1
    text, finish, completion = _cut(body, req.bugs)
    calls, text = _tool_calls(body, cid, req.bugs), _content(body, text, req.bugs)
    for index in range(n):
        first = {"content": ""} if "stream_no_role" in req.bugs else {"role": "assistant", "content": ""}
        yield _chunk(cid, model, [{"index": index, "delta": first, "finish_reason": None}])
        if calls:
            finish = "tool_calls"
            yield _chunk(
                cid,
                model,
                [{"index": index, "delta": {"tool_calls": [{"index": 0, **calls[0]}]}, "finish_reason": None}],
            )
        pieces = [] if calls else [text[i : i + 8] for i in range(0, len(text), 8)]
        for piece in pieces:
            logprobs = _logprobs(body, piece, req.bugs)
            yield _chunk(
                cid, model, [{"index": index, "delta": {"content": piece}, "logprobs": logprobs, "finish_reason": None}]
            )
        reason = finish
        yield _chunk(
            cid, model, [{"index": index, "delta": {}, "finish_reason": reason}], "stream_bad_chunk" in req.bugs
        )
    if (body.get("stream_options") or {}).get("include_usage") and "no_usage_chunk" not in req.bugs:
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
    text, finish, completion = _cut(body, req.bugs)
    calls, n = _tool_calls(body, cid, req.bugs), 1 if "ignore_n" in req.bugs else body.get("n") or 1
    message = {"role": "assistant", "content": None if calls else _content(body, text, req.bugs), "refusal": None}
    if calls:
        message["tool_calls"], finish = calls, "tool_calls"
    choices = [
        {
            "index": i,
            "message": message,
            "logprobs": _logprobs(body, message["content"] or "", req.bugs),
            "finish_reason": finish,
        }
        for i in range(n)
    ]
    model = "tp-house-model" if "wrong_model" in req.bugs else model
    return Reply(
        body={
            "id": cid,
            "object": "chat.completion",
            "created": CREATED,
            "model": model,
            "choices": choices,
            "usage": _usage(body, completion * n),
            "service_tier": "default",
            "system_fingerprint": "fp_tp01",
            "provider": {"name": "thirdparty", "latency_ms": 3},
        }
    )


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
    asked = body.get("dimensions") if "ignore_dimensions" not in req.bugs else None
    size = asked if isinstance(asked, int) else EMBED_SIZE[model]
    data = []
    for i, item in enumerate(inputs):
        vector = _vector(json.dumps(item), size)
        if body.get("encoding_format") == "base64":
            short = vector[:-1] if "base64_short" in req.bugs else vector
            packed = base64.b64encode(struct.pack(f"<{len(short)}f", *short)).decode()
            data.append({"object": "embedding", "index": i, "embedding": packed})
        else:
            data.append({"object": "embedding", "index": i, "embedding": vector})
    tokens = sum(len(json.dumps(item).split()) for item in inputs)
    model = "tp-house-model" if "wrong_model" in req.bugs else model
    return Reply(
        body={
            "object": "list",
            "data": data,
            "model": model,
            "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
        }
    )


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
