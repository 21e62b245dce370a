"""The official ``openai`` package against a server of the newest document: chat,
structured outputs, Responses (plain, streamed, chained), embeddings, moderations, images."""

from __future__ import annotations

import base64
import io
import json

import openai
import pytest
from PIL import Image
from pydantic import BaseModel

TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "get_weather",
            "description": "Weather in a city",
            "parameters": {
                "type": "object",
                "properties": {"city": {"type": "string"}, "days": {"type": "integer"}},
                "required": ["city", "days"],
                "additionalProperties": False,
            },
        },
    }
]


@pytest.fixture
def sdk(server_230):  # noqa: ANN201 - the SDK's client type
    with openai.OpenAI(base_url=server_230.base_url, api_key="sk-test-sdk", max_retries=0, timeout=10) as client:
        yield client


def ask(text: str = "Say this is a test") -> list[dict[str, str]]:
    return [{"role": "user", "content": text}]


def test_chat_plain_and_n(sdk) -> None:
    plain = sdk.chat.completions.create(model="gpt-4o", messages=ask())
    assert plain.object == "chat.completion" and plain.model.startswith("gpt-4o")
    assert plain.choices[0].message.role == "assistant" and plain.choices[0].message.content
    assert plain.choices[0].finish_reason == "stop"
    usage = plain.usage
    assert usage.total_tokens == usage.prompt_tokens + usage.completion_tokens
    two = sdk.chat.completions.create(model="gpt-4o-mini", messages=ask(), n=2, max_completion_tokens=5)
    assert [c.index for c in two.choices] == [0, 1]
    assert all(c.finish_reason == "length" for c in two.choices)
    assert two.usage.completion_tokens == 10


def test_chat_stream_with_usage(sdk) -> None:
    plain = sdk.chat.completions.create(model="gpt-4.1", messages=ask(), seed=7)
    chunks = list(
        sdk.chat.completions.create(
            model="gpt-4.1", messages=ask(), seed=7, stream=True, stream_options={"include_usage": True}
        )
    )
    assert chunks[0].choices[0].delta.role == "assistant"
    assert len({c.id for c in chunks}) == 1
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == plain.choices[0].message.content
    reasons = [c.choices[0].finish_reason for c in chunks if c.choices]
    assert [r for r in reasons if r] == ["stop"]
    assert chunks[-1].choices == [] and chunks[-1].usage.total_tokens == plain.usage.total_tokens
    assert all(c.usage is None for c in chunks[:-1])


def test_chat_tool_call_required(sdk) -> None:
    answer = sdk.chat.completions.create(model="gpt-4o", messages=ask("Hello"), tools=TOOLS, tool_choice="required")
    choice = answer.choices[0]
    assert choice.finish_reason == "tool_calls" and choice.message.content is None
    call = choice.message.tool_calls[0]
    assert call.function.name == "get_weather" and call.id.startswith("call_")
    arguments = json.loads(call.function.arguments)
    assert isinstance(arguments["city"], str) and isinstance(arguments["days"], int)
    none = sdk.chat.completions.create(model="gpt-4o", messages=ask("get_weather"), tools=TOOLS, tool_choice="none")
    assert none.choices[0].message.tool_calls is None


class Weather(BaseModel):
    city: str
    days: int
    sunny: bool


def test_chat_parse_pydantic_strict(sdk) -> None:
    parsed = sdk.chat.completions.parse(model="gpt-4o-2024-08-06", messages=ask("Weather?"), response_format=Weather)
    assert parsed.model == "gpt-4o-2024-08-06"
    value = parsed.choices[0].message.parsed
    assert isinstance(value, Weather) and isinstance(value.days, int)


def test_responses_create_retrieve_chain_delete(sdk) -> None:
    first = sdk.responses.create(model="gpt-4o-mini", input="Say this is a test", instructions="Be brief")
    assert first.status == "completed" and first.output_text
    assert first.output[0].content[0].text == first.output_text
    assert sdk.responses.retrieve(first.id).output_text == first.output_text
    second = sdk.responses.create(model="gpt-4o-mini", input="And again", previous_response_id=first.id)
    assert second.previous_response_id == first.id and second.output_text != first.output_text
    assert second.usage.input_tokens > first.usage.input_tokens  # the history is read
    items = sdk.responses.input_items.list(second.id)
    assert [item.content[0].text for item in items.data] == ["And again"]
    cut = sdk.responses.create(model="gpt-4o-mini", input="Say", max_output_tokens=16)
    assert cut.status == "incomplete" and cut.incomplete_details.reason == "max_output_tokens"
    sdk.responses.delete(first.id)
    with pytest.raises(openai.NotFoundError):
        sdk.responses.retrieve(first.id)


def test_responses_stream_events(sdk) -> None:
    events = list(sdk.responses.create(model="gpt-4o", input="Say this", stream=True))
    types = [event.type for event in events]
    assert types[:4] == [
        "response.created",
        "response.in_progress",
        "response.output_item.added",
        "response.content_part.added",
    ]
    assert types[-1] == "response.completed" and types.count("response.completed") == 1
    numbers = [event.sequence_number for event in events]
    assert numbers == list(range(len(events)))
    deltas = "".join(e.delta for e in events if e.type == "response.output_text.delta")
    done = next(e for e in events if e.type == "response.output_text.done")
    assert deltas == done.text == events[-1].response.output_text


def test_responses_background_cancel(sdk) -> None:
    queued = sdk.responses.create(model="gpt-4o", input="Long task", background=True)
    assert queued.status == "queued"
    assert sdk.responses.cancel(queued.id).status == "cancelled"
    assert sdk.responses.retrieve(queued.id).status == "cancelled"


def test_embeddings_default_base64_and_dimensions(sdk) -> None:
    default = sdk.embeddings.create(model="text-embedding-3-small", input=["a", "b"])
    assert [len(item.embedding) for item in default.data] == [1536, 1536]
    floats = sdk.embeddings.create(model="text-embedding-3-small", input=["a", "b"], encoding_format="float")
    assert default.data[1].embedding == pytest.approx(floats.data[1].embedding, abs=1e-6)
    short = sdk.embeddings.create(model="text-embedding-3-large", input=[1, 2, 3], dimensions=256)
    assert len(short.data[0].embedding) == 256
    with pytest.raises(openai.BadRequestError):
        sdk.embeddings.create(model="text-embedding-ada-002", input="a", dimensions=256)


def test_moderation_with_an_image(sdk) -> None:
    image = "data:image/png;base64," + base64.b64encode(b"\x89PNG fake").decode()
    answer = sdk.moderations.create(
        model="omni-moderation-latest",
        input=[{"type": "text", "text": "I want to kill them"}, {"type": "image_url", "image_url": {"url": image}}],
    )
    result = answer.results[0]
    assert result.flagged and result.categories.violence
    applied = result.category_applied_input_types
    assert applied.violence == ["image", "text"] and applied.harassment == ["text"]


@pytest.mark.parametrize(("fmt", "pil"), [("png", "PNG"), ("jpeg", "JPEG"), ("webp", "WEBP")])
def test_images_generate_gpt_image(sdk, fmt: str, pil: str) -> None:
    answer = sdk.images.generate(
        model="gpt-image-1", prompt="An otter", size="1536x1024", output_format=fmt, quality="low"
    )
    assert answer.output_format == fmt and answer.quality == "low"
    image = Image.open(io.BytesIO(base64.b64decode(answer.data[0].b64_json)))
    assert image.format == pil and image.size == (1536, 1024)
