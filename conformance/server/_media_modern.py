"""The 2.x moderation and image answers: omni moderation over text and image parts,
and ``gpt-image-*`` images in the asked format, size, quality and background."""

from __future__ import annotations

import io
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from PIL import Image, ImageDraw

from ._common import now
from ._errors import InvalidRequest
from ._text import seed_of

# Every category of the newest schema, and the inputs each is applied to.
IMAGE_CATEGORIES = frozenset(
    {"self-harm", "self-harm/intent", "self-harm/instructions", "sexual", "violence", "violence/graphic"}
)
TRIGGERS: dict[str, tuple[str, ...]] = {
    "hate": ("hate",),
    "hate/threatening": ("threat",),
    "harassment": ("harass",),
    "harassment/threatening": ("harass and threat",),
    "illicit": ("steal", "illicit"),
    "illicit/violent": ("weapon",),
    "self-harm": ("self-harm", "hurt myself"),
    "self-harm/intent": ("want to hurt myself",),
    "self-harm/instructions": ("how to self-harm",),
    "sexual": ("sexual",),
    "sexual/minors": ("minor",),
    "violence": ("kill", "violence", "attack"),
    "violence/graphic": ("gore", "graphic"),
}


def moderation_parts(raw: Any) -> list[list[tuple[str, str]]]:
    """The inputs of a request, each as (kind, content) parts: one result per string,
    one result for a list of text and image parts (as the API answers)."""
    if isinstance(raw, str):
        return [[("text", raw)]]
    if raw and all(isinstance(item, dict) for item in raw):
        parts = []
        for item in raw:
            if item.get("type") == "image_url":
                parts.append(("image", str((item.get("image_url") or {}).get("url", ""))))
            else:
                parts.append(("text", str(item.get("text", ""))))
        return [parts]
    return [[("text", str(item))] for item in raw]


def omni_result(parts: list[tuple[str, str]], inconsistent: bool) -> dict[str, Any]:
    """One result: every category's flag, score and the input types it was judged on."""
    kinds = {kind for kind, _ in parts}
    text = " ".join(content for kind, content in parts if kind == "text").lower()
    scores, applied = {}, {}
    for category, words in TRIGGERS.items():
        base = (seed_of("moderation", category, text) % 10_000) / 100_000
        scores[category] = round(0.9 + base if any(w in text for w in words) else base, 6)
        applied[category] = sorted(kinds if category in IMAGE_CATEGORIES else kinds & {"text"})
    categories = {c: score > 0.5 for c, score in scores.items()}
    flagged = any(categories.values())
    if inconsistent:
        categories, flagged = dict.fromkeys(categories, False), True
    return {
        "flagged": flagged,
        "categories": categories,
        "category_scores": scores,
        "category_applied_input_types": applied,
    }


SIZES = {"auto": (1024, 1024), "1024x1024": (1024, 1024), "1024x1536": (1024, 1536), "1536x1024": (1536, 1024)}
FORMATS = {"png": "PNG", "jpeg": "JPEG", "webp": "WEBP"}


def gpt_image_options(body: dict[str, Any]) -> dict[str, str]:
    """The size, quality, output format and background a ``gpt-image-*`` answer states."""
    size = body.get("size") or "auto"
    if size not in SIZES:
        raise InvalidRequest(
            f"Invalid size '{size}' for gpt-image models: use one of {', '.join(SIZES)}.", param="size"
        )
    fmt = body.get("output_format") or "png"
    background = body.get("background") or "auto"
    if background == "transparent" and fmt == "jpeg":
        raise InvalidRequest("Transparent background needs output_format png or webp.", param="background")
    quality = body.get("quality") or "auto"
    return {
        "size": "1024x1024" if size == "auto" else size,
        "quality": "medium" if quality in ("auto", "standard", "hd") else quality,
        "output_format": fmt,
        "background": "transparent" if background == "transparent" else "opaque",
    }


# The fastest settings of each encoder: a 1024x1024 WebP took 70 ms at the default
# method 4 and takes 12 ms at 0 (the bytes are larger, which loopback does not mind).
_FASTEST: dict[str, dict[str, int]] = {"png": {"compress_level": 1}, "webp": {"method": 0}}


@lru_cache(maxsize=256)
def render(size: str, fmt: str, transparent: bool, seed: int) -> bytes:
    """An image of ``size`` in ``fmt`` (real bytes), transparent around its shape if asked."""
    width, height = SIZES[size]
    mode = "RGBA" if transparent else "RGB"
    r, g, b = (seed >> 16) & 255, (seed >> 8) & 255, seed & 255
    image = Image.new(mode, (width, height), (r, g, b, 0) if transparent else (r, g, b))
    ImageDraw.Draw(image).ellipse(
        (width // 4, height // 4, 3 * width // 4, 3 * height // 4), fill=(b, r, g, 255) if transparent else (b, r, g)
    )
    out = io.BytesIO()
    image.save(out, format=FORMATS[fmt], **_FASTEST.get(fmt, {}))
    return out.getvalue()


def image_events(
    kind: str, b64_json: str, options: dict[str, str], usage: dict[str, Any], partial_images: int
) -> Iterator[dict[str, Any]]:
    """An image stream of ``kind`` (``image_generation``, ``image_edit``): ``partial_images``
    partial events, then the completed one (the document's example ends there, no ``[DONE]``)."""
    head = {"created_at": now(), **options}
    for index in range(partial_images):
        yield {"type": f"{kind}.partial_image", "b64_json": b64_json, **head, "partial_image_index": index}
    yield {"type": f"{kind}.completed", "b64_json": b64_json, **head, "usage": usage}
