"""Completions over HTTP: the request knobs honoured, usage, streams, schemas."""

from __future__ import annotations

import json

import pytest
from server_helpers import events

from openai_conformance.server._text import count_tokens

PROMPT = "Say this is a test"


def complete(client, **body):  # noqa: ANN001, ANN201 - test helper
    response = client.post("/completions", json={"model": "text-davinci-003", **body})
    assert response.status_code == 200, response.text
    return response.json()


def test_plain_completion_is_schema_valid_and_deterministic(client, check_schema) -> None:
    first = complete(client, prompt=PROMPT)
    second = complete(client, prompt=PROMPT)
    check_schema("createCompletion", first)
    assert first["choices"][0]["text"] == second["choices"][0]["text"]
    assert first["choices"][0]["finish_reason"] == "length"
    assert first["usage"]["completion_tokens"] == 16  # the spec's default max_tokens


@pytest.mark.parametrize(
    ("prompt", "prompts"),
    [(PROMPT, 1), (["one", "two", "three"], 3), ([1212, 318, 257], 1), ([[1, 2], [3], [4, 5]], 3)],
    ids=["string", "strings", "token-array", "token-arrays"],
)
def test_n_choices_per_prompt_with_indices_in_order(client, check_schema, prompt, prompts) -> None:
    body = complete(client, prompt=prompt, n=2, max_tokens=4)
    check_schema("createCompletion", body)
    assert [c["index"] for c in body["choices"]] == list(range(2 * prompts))


def test_usage_adds_up_and_counts_tokens(client) -> None:
    body = complete(client, prompt=["a b c", "d e"], n=3, max_tokens=5)
    usage = body["usage"]
    assert usage["prompt_tokens"] == 5
    assert usage["completion_tokens"] == sum(count_tokens(c["text"]) for c in body["choices"])
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]


@pytest.mark.parametrize("max_tokens", [0, 1, 7, 40])
def test_max_tokens_is_a_ceiling(client, max_tokens) -> None:
    body = complete(client, prompt=PROMPT, max_tokens=max_tokens)
    assert count_tokens(body["choices"][0]["text"]) <= max_tokens
    assert body["usage"]["completion_tokens"] <= max_tokens


def test_echo_starts_with_the_prompt(client) -> None:
    body = complete(client, prompt=PROMPT, echo=True, max_tokens=3)
    assert body["choices"][0]["text"].startswith(PROMPT)
    assert body["usage"]["completion_tokens"] == 3


def test_stop_cuts_before_the_stop_sequence(client) -> None:
    plain = complete(client, prompt=PROMPT, max_tokens=30)["choices"][0]["text"]
    stop = plain.split()[3]
    body = complete(client, prompt=PROMPT, max_tokens=30, stop=[stop, "zzz"])
    text = body["choices"][0]["text"]
    assert stop not in text and plain.startswith(text)
    assert body["choices"][0]["finish_reason"] == "stop"


@pytest.mark.parametrize("logprobs", [0, 1, 5])
def test_logprobs_shape(client, logprobs) -> None:
    body = complete(client, prompt=PROMPT, logprobs=logprobs, max_tokens=6, echo=True)
    choice = body["choices"][0]
    lp = choice["logprobs"]
    assert "".join(lp["tokens"]) == choice["text"]
    assert (
        len(lp["tokens"])
        == len(lp["token_logprobs"])
        == len(lp["top_logprobs"])
        == len(lp["text_offset"])
        == count_tokens(choice["text"])
    )
    assert all(len(top) <= logprobs + 1 for top in lp["top_logprobs"])
    assert all(choice["text"][o:].startswith(t) for o, t in zip(lp["text_offset"], lp["tokens"], strict=True))


def test_best_of_changes_the_pick_not_the_count(client) -> None:
    body = complete(client, prompt=PROMPT, n=2, best_of=5, max_tokens=4)
    assert len(body["choices"]) == 2


def test_stream_sends_chunks_then_done(client, check_schema) -> None:
    response = client.post(
        "/completions", json={"model": "ada", "prompt": PROMPT, "stream": True, "max_tokens": 5, "n": 2}
    )
    assert response.headers["content-type"].startswith("text/event-stream")
    data = events(response)
    assert data[-1] == "[DONE]"
    chunks = [json.loads(item) for item in data[:-1]]
    for chunk in chunks:
        check_schema("createCompletion", _finished(chunk))
    by_choice: dict[int, list[dict]] = {}
    for chunk in chunks:
        for choice in chunk["choices"]:
            by_choice.setdefault(choice["index"], []).append(choice)
    assert sorted(by_choice) == [0, 1]
    for choices in by_choice.values():
        assert [c["finish_reason"] for c in choices[:-1]] == [None] * (len(choices) - 1)
        assert choices[-1]["finish_reason"] == "length"
        assert count_tokens("".join(c["text"] for c in choices)) == 5


def _finished(chunk: dict) -> dict:
    """A chunk as the schema sees it once the real API's null finish_reason is allowed."""
    return {
        **chunk,
        "choices": [{k: v for k, v in c.items() if v is not None or k != "finish_reason"} for c in chunk["choices"]],
    }


def test_unknown_model_is_404_model_not_found(client) -> None:
    response = client.post("/completions", json={"model": "no-such-model", "prompt": "x"})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "model_not_found"


def test_context_length_is_enforced(client) -> None:
    response = client.post("/completions", json={"model": "ada", "max_tokens": 5000})
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "max_tokens"
