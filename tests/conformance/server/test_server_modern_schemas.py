"""The hand-written 2.x answers are valid against the newest document's response
schemas (and stream-event schemas), and keep the rules the modern checks state."""

from __future__ import annotations

import json
from typing import Any

import pytest
from server_helpers import Client, events

WEATHER = {
    "type": "object",
    "properties": {"city": {"type": "string"}, "unit": {"type": "string", "enum": ["c", "f"]}},
    "required": ["city", "unit"],
    "additionalProperties": False,
}
CHAT_TOOLS = [
    {"type": "function", "function": {"name": "get_weather", "parameters": WEATHER}},
    {"type": "function", "function": {"name": "get_time", "parameters": {"type": "object", "properties": {}}}},
]
ASK = [{"role": "user", "content": "Say this is a test"}]


@pytest.fixture
def api(server_230, client_for) -> Client:
    return client_for(server_230)


def chat(api: Client, **body: Any) -> dict[str, Any]:
    response = api.post("/chat/completions", json={"model": "gpt-4o", "messages": ASK, **body})
    assert response.status_code == 200, response.text
    return response.json()


CHAT_CASES = {
    "plain": {},
    "n_logprobs": {"n": 3, "logprobs": True, "top_logprobs": 4, "max_tokens": 6},
    "stop": {"stop": [" the", " a"], "seed": 3},
    "required": {"tools": CHAT_TOOLS, "tool_choice": "required"},
    "parallel": {"tools": CHAT_TOOLS, "messages": [{"role": "user", "content": "get_weather and get_time please"}]},
    "json_schema": {
        "response_format": {"type": "json_schema", "json_schema": {"name": "w", "strict": True, "schema": WEATHER}}
    },
    "json_object": {"response_format": {"type": "json_object"}},
}


@pytest.mark.parametrize("case", sorted(CHAT_CASES))
def test_chat_answers_are_schema_valid(api, check_230, case: str) -> None:
    answer = chat(api, **CHAT_CASES[case])
    check_230("createChatCompletion", answer)
    usage = answer["usage"]
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]


def test_chat_rules(api) -> None:
    cut = chat(api, n=3, max_completion_tokens=4, logprobs=True, top_logprobs=3)
    assert [c["index"] for c in cut["choices"]] == [0, 1, 2]
    assert all(c["finish_reason"] == "length" for c in cut["choices"])
    assert cut["usage"]["completion_tokens"] == 12
    assert all(len(e["top_logprobs"]) == 3 for c in cut["choices"] for e in c["logprobs"]["content"])
    assert chat(api)["choices"][0]["logprobs"] is None
    words = chat(api)["choices"][0]["message"]["content"].split()
    stopped = chat(api, stop=[f" {words[4]}"])["choices"][0]
    assert stopped["finish_reason"] == "stop" and f" {words[4]}" not in stopped["message"]["content"]
    both = chat(api, **CHAT_CASES["parallel"])["choices"][0]["message"]["tool_calls"]
    assert [c["function"]["name"] for c in both] == ["get_weather", "get_time"]
    one = chat(api, **CHAT_CASES["parallel"], parallel_tool_calls=False)
    assert len(one["choices"][0]["message"]["tool_calls"]) == 1
    named = chat(api, tools=CHAT_TOOLS, tool_choice={"type": "function", "function": {"name": "get_time"}})
    assert named["choices"][0]["message"]["tool_calls"][0]["function"]["name"] == "get_time"
    assert named["choices"][0]["finish_reason"] == "tool_calls"
    arguments = json.loads(
        chat(api, **CHAT_CASES["required"])["choices"][0]["message"]["tool_calls"][0]["function"]["arguments"]
    )
    assert set(arguments) == {"city", "unit"} and arguments["unit"] in ("c", "f")
    assert set(json.loads(chat(api, **CHAT_CASES["json_schema"])["choices"][0]["message"]["content"])) == {
        "city",
        "unit",
    }
    seeded = [chat(api, seed=5)["choices"][0]["message"]["content"] for _ in range(2)]
    assert seeded[0] == seeded[1] != chat(api, seed=6)["choices"][0]["message"]["content"]


def test_chat_model_is_its_snapshot_and_dated_ids_are_accepted(api) -> None:
    assert chat(api)["model"] == "gpt-4o-2024-11-20"
    assert chat(api, model="gpt-4o-2024-05-13")["model"] == "gpt-4o-2024-05-13"
    missing = api.post("/chat/completions", json={"model": "gpt-0", "messages": ASK})
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "model_not_found"


def test_chat_stream_chunks_are_schema_valid(api, check_230) -> None:
    response = api.post(
        "/chat/completions",
        json={
            "model": "gpt-4o",
            "messages": ASK,
            "n": 2,
            "stream": True,
            "tools": CHAT_TOOLS,
            "stream_options": {"include_usage": True},
        },
    )
    payloads = events(response)
    assert payloads[-1] == "[DONE]"
    chunks = [json.loads(p) for p in payloads[:-1]]
    for chunk in chunks:
        # finish_reason/usage/logprobs null are documented with 3.0's nullable, which a
        # 3.1 validator ignores: the errata overlay of the runner covers them
        check_230("createChatCompletion", _without_nulls(chunk), media="text/event-stream")
    assert chunks[-1]["choices"] == [] and chunks[-1]["usage"]["total_tokens"] > 0
    for index in (0, 1):
        mine = [c["choices"][0] for c in chunks if c["choices"] and c["choices"][0]["index"] == index]
        assert mine[0]["delta"]["role"] == "assistant"
        assert [c["finish_reason"] for c in mine if c["finish_reason"]] == ["stop"]


def _without_nulls(value: Any) -> Any:
    """``value`` as a 3.1 validator reads the 3.0 ``nullable`` fields: a null finish_reason
    (required) as a string, other nulls absent."""
    if isinstance(value, dict):
        return {
            k: "stop" if k == "finish_reason" and v is None else _without_nulls(v)
            for k, v in value.items()
            if v is not None or k == "finish_reason"
        }
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value


RESPONSE_TOOLS = [{"type": "function", "name": "get_weather", "parameters": WEATHER, "strict": True}]


def create(api: Client, **body: Any) -> dict[str, Any]:
    response = api.post("/responses", json={"model": "gpt-4.1", "input": "Say this", **body})
    assert response.status_code == 200, response.text
    return response.json()


def test_responses_are_schema_valid(api, check_230) -> None:
    first = create(api, instructions="Be brief")
    check_230("createResponse", first)
    tool = create(api, tools=RESPONSE_TOOLS, tool_choice="required")
    check_230("createResponse", tool)
    assert tool["output"][0]["type"] == "function_call"
    assert set(json.loads(tool["output"][0]["arguments"])) == {"city", "unit"}
    fmt = {"format": {"type": "json_schema", "name": "w", "schema": WEATHER, "strict": True}}
    structured = create(api, text=fmt)
    assert set(json.loads(structured["output_text"])) == {"city", "unit"}
    cut = create(api, max_output_tokens=16, previous_response_id=first["id"])
    assert cut["status"] == "incomplete" and cut["usage"]["output_tokens"] == 16
    check_230("getResponse", api.get(f"/responses/{cut['id']}").json())
    items = api.get(f"/responses/{cut['id']}/input_items").json()
    check_230("listInputItems", items)
    assert items["first_id"] == items["data"][0]["id"]
    queued = create(api, background=True)
    check_230("cancelResponse", api.post(f"/responses/{queued['id']}/cancel").json())
    unknown = api.post("/responses", json={"model": "gpt-4.1", "input": "x", "previous_response_id": "resp_nope"})
    assert unknown.status_code == 400


def test_background_response_moves_to_completed(api) -> None:
    queued = create(api, background=True)
    steps = [api.get(f"/responses/{queued['id']}").json()["status"] for _ in range(3)]
    assert steps == ["in_progress", "completed", "completed"]
    assert api.post(f"/responses/{queued['id']}/cancel").json()["status"] == "completed"


def test_example_responses_exist(api) -> None:
    assert api.get("/responses/resp_123").status_code == 200


def test_responses_stream_is_named_events_without_done(api, check_230) -> None:
    text = api.post(
        "/responses", json={"model": "gpt-4.1", "input": "Say", "stream": True, "tools": RESPONSE_TOOLS}
    ).text
    frames = [frame for frame in text.split("\n\n") if frame]
    assert "[DONE]" not in text
    parsed = []
    for frame in frames:
        name, data = frame.split("\n")
        event = json.loads(data.removeprefix("data: "))
        assert name == f"event: {event['type']}"
        check_230("createResponse", event, media="text/event-stream")
        parsed.append(event)
    assert [e["sequence_number"] for e in parsed] == list(range(len(parsed)))
    assert parsed[-1]["type"] == "response.completed"


def test_embeddings_models_moderations_images_are_schema_valid(api, check_230) -> None:
    embedded = api.post(
        "/embeddings", json={"model": "text-embedding-3-large", "input": [[1, 2], [3]], "dimensions": 8}
    ).json()
    check_230("createEmbedding", embedded)
    assert [len(d["embedding"]) for d in embedded["data"]] == [8, 8]
    check_230("listModels", api.get("/models").json())
    check_230("retrieveModel", api.get("/models/text-embedding-3-small").json())
    moderated = api.post("/moderations", json={"input": ["I will attack", "hello"]}).json()
    check_230("createModeration", moderated)
    assert moderated["model"] == "omni-moderation-latest"
    assert [r["flagged"] for r in moderated["results"]] == [True, False]
    image = api.post(
        "/images/generations", json={"model": "gpt-image-1", "prompt": "x", "background": "transparent"}
    ).json()
    check_230("createImage", image)
    assert image["size"] == "1024x1024" and image["background"] == "transparent"


def test_gpt_image_stream_is_named_events(api, check_230) -> None:
    text = api.post(
        "/images/generations", json={"model": "gpt-image-1", "prompt": "x", "stream": True, "partial_images": 2}
    ).text
    parsed = [json.loads(frame.split("data: ", 1)[1]) for frame in text.split("\n\n") if frame]
    for event in parsed:
        check_230("createImage", event, media="text/event-stream")
    assert [e["type"] for e in parsed] == ["image_generation.partial_image"] * 2 + ["image_generation.completed"]
    assert [e.get("partial_image_index") for e in parsed] == [0, 1, None]


@pytest.mark.parametrize(
    ("body", "form"),
    [
        ({}, "url"),  # no model: dall-e-2, which answers a URL by default
        ({"response_format": "b64_json"}, "b64_json"),
        ({"output_format": "jpeg"}, "b64_json"),  # a GPT-image-only field picks a GPT image model
        ({"model": "gpt-image-1"}, "b64_json"),
    ],
)
def test_an_image_without_a_model_is_dall_e_2_unless_a_gpt_image_field_is_asked(api, check_230, body, form) -> None:
    answer = api.post("/images/generations", json={"prompt": "An otter", **body})
    assert answer.status_code == 200, answer.text
    check_230("createImage", answer.json())
    assert list(answer.json()["data"][0]) == [form]


def test_image_edits_take_json_references_and_stream_image_edit_events(api, check_230) -> None:
    import base64
    import io

    from PIL import Image
    from server_helpers import png

    by_reference = api.post(
        "/images/edits",
        json={
            "prompt": "A hat",
            "size": "1024x1536",
            "output_format": "webp",
            "images": [{"image_url": "https://example.com/a.png"}],
        },
    )
    assert by_reference.status_code == 200, by_reference.text
    check_230("createImageEdit", by_reference.json())
    with Image.open(io.BytesIO(base64.b64decode(by_reference.json()["data"][0]["b64_json"]))) as image:
        assert (image.format, image.size) == ("WEBP", (1024, 1536))
    # a GPT image model takes an image of any shape; dall-e-2 wants it square
    oblong = {"image": ("i.png", png(64, height=32), "image/png")}
    assert api.post("/images/edits", files=oblong, data={"prompt": "A hat"}).status_code == 200
    refused = api.post("/images/edits", files=oblong, data={"prompt": "A hat", "model": "dall-e-2"})
    assert refused.status_code == 400
    streamed = api.post("/images/edits", json={"prompt": "A hat", "stream": True, "images": [{"file_id": "file-x"}]})
    kinds = [json.loads(f.split("data: ", 1)[1])["type"] for f in streamed.text.split("\n\n") if f]
    assert kinds == ["image_edit.completed"]
