"""A third-party-like image server: Pillow-drawn PNG/JPEG/WebP, a model table, one bug switch.

Unlike the reference server (palette PNGs of its own, model rule in code) it looks models up
in a table and draws with Pillow. Bug ``dalle_for_gpt_fields``: a request without a model is
always served by dall-e-2 (a URL), even when it sets a field only GPT image models take.
"""

from __future__ import annotations

import base64
import io
from typing import Any

from PIL import Image
from stdlib_server import Reply, Request, Route, error, invalid

# model -> (answers base64 only, its default size)
MODELS = {"dall-e-2": (False, "1024x1024"), "dall-e-3": (False, "1024x1024"), "gpt-image-1": (True, "1024x1024")}
GPT_FIELDS = {"background", "moderation", "output_compression", "output_format", "partial_images", "stream"}


def _picture(size: str, fmt: str) -> str:
    width, height = (int(x) for x in size.split("x"))
    out = io.BytesIO()
    Image.new("RGB", (width, height), (12, 90, 200)).save(out, format={"jpeg": "JPEG", "webp": "WEBP"}.get(fmt, "PNG"))
    return base64.b64encode(out.getvalue()).decode()


def generations(req: Request) -> Reply:
    refused = invalid(req)
    if refused is not None:
        return refused
    body: dict[str, Any] = req.body
    model = body.get("model")
    if model is None:
        wants_gpt = bool(GPT_FIELDS & {k for k, v in body.items() if v is not None})
        model = "gpt-image-1" if wants_gpt and "dalle_for_gpt_fields" not in req.bugs else "dall-e-2"
    if model not in MODELS:
        return error(404, f"The model '{model}' does not exist", param="model")
    base64_only, default_size = MODELS[model]
    size = body.get("size") if body.get("size") not in (None, "auto") else default_size
    as_url = not base64_only and body.get("response_format", "url") == "url"
    items = [
        {"url": f"https://images.example.invalid/{i}.png"}
        if as_url
        else {"b64_json": _picture(size, body.get("output_format", "png"))}
        for i in range(body.get("n") or 1)
    ]
    return Reply(200, {"created": 1767225600, "data": items})


routes: list[Route] = [("POST", "/images/generations", generations)]
