"""Embeddings, moderations and images: one result per input, deterministic."""

from __future__ import annotations

import array
import hashlib
import math
import random
from typing import Any

from openai_conformance.spec import image_model, is_gpt_image_model

from ._catalogue import (
    DEFAULT_EMBEDDING_DIMENSION,
    EMBEDDING_DIMENSIONS,
    MODERN_EMBEDDING_DIMENSIONS,
    SHORTENABLE,
    base_model,
)
from ._common import listing, now, require_model, usage, value
from ._completions import prompts_of
from ._errors import InvalidRequest
from ._images import check_edit, generate_png, open_png, require_image, side_of, transparent_png
from ._media_modern import gpt_image_options, image_events, moderation_parts, omni_result, render
from ._registry import Call, Registry
from ._responses_stream import named_events
from ._store import b64
from ._text import seed_of
from ._validation import Upload

routes = Registry()

# --- embeddings -------------------------------------------------------------


def embedding(model: str, text: str, dimension: int) -> list[float]:
    """A deterministic unit vector for ``text``."""
    rng = random.Random(seed_of("embedding", model, text))
    vector = [rng.gauss(0.0, 1.0) for _ in range(dimension)]
    norm = math.sqrt(sum(x * x for x in vector)) or 1.0
    return [x / norm for x in vector]


def _base64_floats(vector: list[float]) -> str:
    """The ``encoding_format: base64`` form: little-endian float32, base64 (as OpenAI)."""
    return b64(array.array("f", vector).tobytes())


@routes.handles("createEmbedding", fallback={"model": "text-embedding-ada-002", "input": "x"})
async def create_embedding(call: Call) -> Any:
    model = require_model(call, call.body["model"])
    inputs = prompts_of(call.body["input"])
    dimension = _dimension(call, model)
    if call.has("embedding_wrong_dimension"):
        dimension -= 1
    encode = _base64_floats if call.body.get("encoding_format") == "base64" else list
    if encode is _base64_floats and call.has("embedding_base64_short"):
        encode = _base64_short
    data = [
        {"object": "embedding", "index": i, "embedding": encode(embedding(model, item.text, dimension))}
        for i, item in enumerate(inputs)
    ]
    if call.has("embedding_out_of_order"):
        data.reverse()
    tokens = sum(item.tokens for item in inputs)
    answered = "reference-model" if call.has("chat_wrong_model") else model
    return {**listing(data), "model": answered, "usage": usage(call, tokens)}


def _dimension(call: Call, model: str) -> int:
    """The model's dimension, or the asked ``dimensions`` where the model takes it."""
    table = MODERN_EMBEDDING_DIMENSIONS if call.store.modern.current else EMBEDDING_DIMENSIONS
    full = table.get(base_model(model), table.get(model, DEFAULT_EMBEDDING_DIMENSION))
    asked = call.body.get("dimensions")
    if asked is None:
        return full
    if base_model(model) not in SHORTENABLE:
        raise InvalidRequest(f"This model does not support specifying dimensions: '{model}'.", param="dimensions")
    if asked > full:
        raise InvalidRequest(
            f"Invalid 'dimensions': {asked} is above the maximum of {full} of '{model}'.", param="dimensions"
        )
    return full if call.has("embedding_ignore_dimensions") else asked


def _base64_short(vector: list[float]) -> str:
    """The ``embedding_base64_short`` fault: one float32 missing from the bytes."""
    return _base64_floats(vector[:-1])


# --- moderations ------------------------------------------------------------

CATEGORIES = ("hate", "hate/threatening", "self-harm", "sexual", "sexual/minors", "violence", "violence/graphic")
# Words that make a category score high, so that flagged results can be asked for.
TRIGGERS: dict[str, tuple[str, ...]] = {
    "hate": ("hate",),
    "hate/threatening": ("threat",),
    "self-harm": ("self-harm", "hurt myself"),
    "sexual": ("sexual",),
    "sexual/minors": ("minor",),
    "violence": ("kill", "violence", "attack"),
    "violence/graphic": ("gore", "graphic"),
}


def moderation(text: str, inconsistent: bool) -> dict[str, Any]:
    lowered = text.lower()
    scores = {}
    for category in CATEGORIES:
        base = (seed_of("moderation", category, text) % 10_000) / 100_000  # below 0.1
        hit = any(word in lowered for word in TRIGGERS[category])
        scores[category] = round(0.9 + base if hit else base, 6)
    categories = {c: scores[c] > 0.5 for c in CATEGORIES}
    if inconsistent:
        categories = dict.fromkeys(CATEGORIES, False)
        return {"flagged": True, "categories": categories, "category_scores": scores}
    return {"flagged": any(categories.values()), "categories": categories, "category_scores": scores}


@routes.handles("createModeration", fallback={"input": "x"})
async def create_moderation(call: Call) -> Any:
    current = call.store.modern.current
    model = value(call.body, "model", "omni-moderation-latest" if current else "text-moderation-latest")
    require_model(call, model)
    raw = call.body["input"]
    if current:
        bad = call.has("moderation_inconsistent")
        return {
            "id": call.store.new_id("modr"),
            "model": model,
            "results": [omni_result(parts, bad) for parts in moderation_parts(raw)],
        }
    inputs = [raw] if isinstance(raw, str) else raw
    bad = call.has("moderation_inconsistent")
    return {"id": call.store.new_id("modr"), "model": model, "results": [moderation(text, bad) for text in inputs]}


# --- images -----------------------------------------------------------------


def _images(call: Call, seed_parts: tuple[Any, ...]) -> dict[str, Any]:
    """``n`` PNGs of the asked size, as URLs served here or as base64."""
    body = call.body
    side = side_of(value(body, "size", "1024x1024"))
    if call.has("image_wrong_size"):
        side //= 2
    data = []
    for i in range(value(body, "n", 1)):
        png = generate_png(side, _palette(seed_of(*seed_parts, i)))
        if value(body, "response_format", "url") == "b64_json":
            data.append({"b64_json": b64(png)})
        else:
            data.append({"url": call.url(f"/_images/{call.store.keep_image(png)}.png")})
    return {"created": now(), "data": data}


# Encoding a PNG is most of the server's work in a run: images are drawn from a small
# palette of seeds, so that each (size, seed, format) is encoded once and then cached.
PALETTE = 16


def _palette(seed: int) -> int:
    return (seed % PALETTE) * 0x0F0F0F


def _fallback_image(_store: Any) -> dict[str, Any]:
    return {"image": Upload("image.png", "image/png", transparent_png(256)), "size": "256x256"}


def _digest(upload: Upload) -> str:
    return hashlib.sha256(upload.data).hexdigest()


def _is_gpt_image(call: Call, default: str) -> bool:
    """Whether a GPT image model answers (2.x only): the asked one, or the default."""
    return call.store.modern.current and is_gpt_image_model(str(image_model(call.body, default)))


@routes.handles("createImage", fallback={"prompt": "A cute baby sea otter", "size": "256x256"})
async def create_image(call: Call) -> Any:
    if _is_gpt_image(call, "dall-e-2"):
        return _gpt_images(call)
    return _images(call, ("generation", call.body["prompt"]))


def _gpt_images(call: Call) -> Any:  # a JSON body, or a stream of named events
    """``gpt-image-*`` answers: always ``b64_json``, with the options it used and usage."""
    options = gpt_image_options(call.body)
    prompt = call.body["prompt"]
    data = [
        {
            "b64_json": b64(
                render(
                    options["size"],
                    options["output_format"],
                    options["background"] == "transparent",
                    _palette(seed_of("image", prompt, i)),
                )
            )
        }
        for i in range(value(call.body, "n", 1))
    ]
    tokens = len(prompt.split())
    usage = {
        "input_tokens": tokens,
        "output_tokens": 272 * len(data),
        "total_tokens": tokens + 272 * len(data),
        "input_tokens_details": {"text_tokens": tokens, "image_tokens": 0},
    }
    if call.body.get("stream"):
        kind = "image_edit" if call.operation.operation_id == "createImageEdit" else "image_generation"
        return named_events(
            image_events(kind, data[0]["b64_json"], options, usage, value(call.body, "partial_images", 0))
        )
    return {"created": now(), "data": data, **options, "usage": usage}


@routes.handles("createImageEdit", fallback=lambda store: {**_fallback_image(store), "prompt": "An otter"})
async def create_image_edit(call: Call) -> Any:
    if _is_gpt_image(call, "gpt-image-1.5"):
        # GPT image models take up to 16 PNG, WebP or JPEG images of any shape, by
        # upload or (JSON bodies) by reference
        for name in ("image", "mask"):
            parts = call.body.get(name)
            for upload in parts if isinstance(parts, list) else [parts]:
                if isinstance(upload, Upload):
                    require_image(upload, name)
        return _gpt_images(call)
    if not isinstance(call.body.get("image"), Upload):
        raise InvalidRequest("dall-e-2 edits take one uploaded PNG as 'image' (multipart).", param="image")
    check_edit(call.body["image"], call.body.get("mask"))
    return _images(call, ("edit", call.body["prompt"], _digest(call.body["image"])))


@routes.handles("createImageVariation", fallback=_fallback_image)
async def create_image_variation(call: Call) -> Any:
    open_png(call.body["image"], "image")
    return _images(call, ("variation", _digest(call.body["image"])))
