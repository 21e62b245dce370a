"""The official ``openai`` package, pointed at the server with ``base_url``, works."""

from __future__ import annotations

import io
import math

import openai
import pytest
from server_helpers import TRAINING


@pytest.fixture
def sdk(reference_server):  # noqa: ANN201 - the SDK's client type
    with openai.OpenAI(base_url=reference_server.base_url, api_key="sk-test-sdk", max_retries=0, timeout=10) as client:
        yield client


def test_models(sdk) -> None:
    ids = [model.id for model in sdk.models.list()]
    assert "text-davinci-003" in ids
    assert sdk.models.retrieve("davinci").owned_by == "openai"
    with pytest.raises(openai.NotFoundError):
        sdk.models.retrieve("no-such-model")


def test_completions_plain_and_streamed(sdk) -> None:
    plain = sdk.completions.create(model="text-davinci-003", prompt="Say this", max_tokens=5, n=2)
    assert len(plain.choices) == 2
    assert plain.usage.total_tokens == plain.usage.prompt_tokens + plain.usage.completion_tokens
    stream = sdk.completions.create(model="text-davinci-003", prompt="Say this", max_tokens=5, stream=True)
    chunks = list(stream)
    assert "".join(c.choices[0].text for c in chunks) == plain.choices[0].text
    assert chunks[-1].choices[0].finish_reason == "length"


def test_embeddings_default_base64_and_float(sdk) -> None:
    default = sdk.embeddings.create(model="text-embedding-ada-002", input=["a", "b"])
    floats = sdk.embeddings.create(model="text-embedding-ada-002", input=["a", "b"], encoding_format="float")
    assert [len(d.embedding) for d in default.data] == [1536, 1536]
    assert all(
        math.isclose(x, y, abs_tol=1e-6)
        for x, y in zip(default.data[0].embedding, floats.data[0].embedding, strict=True)
    )


def test_moderations(sdk) -> None:
    result = sdk.moderations.create(input="I want to kill them.").results[0]
    assert result.flagged and result.categories.violence


def test_image_generation(sdk) -> None:
    images = sdk.images.generate(prompt="An otter", n=2, size="256x256")
    assert len(images.data) == 2 and images.data[0].url.endswith(".png")
    encoded = sdk.images.generate(prompt="An otter", size="256x256", response_format="b64_json")
    assert encoded.data[0].b64_json


def test_files_upload_retrieve_download_delete(sdk) -> None:
    created = sdk.files.create(file=("train.jsonl", io.BytesIO(TRAINING)), purpose="fine-tune")
    assert created.bytes == len(TRAINING)
    assert sdk.files.retrieve(created.id).filename == "train.jsonl"
    assert sdk.files.content(created.id).read() == TRAINING
    assert created.id in [f.id for f in sdk.files.list()]
    assert sdk.files.delete(created.id).deleted is True
    with pytest.raises(openai.NotFoundError):
        sdk.files.retrieve(created.id)


def test_sdk_sees_auth_errors(reference_server) -> None:
    with (
        openai.OpenAI(base_url=reference_server.base_url, api_key="wrong", max_retries=0) as client,
        pytest.raises(openai.AuthenticationError),
    ):
        client.models.list()
