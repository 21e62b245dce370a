"""What the API does that its document says only in prose: rules the reference server and the checks share.

Written once here so that the server that serves a rule and the check that holds a
target to it cannot disagree.
"""

from __future__ import annotations

from typing import Any

# Fields only the GPT image models take: a request with one and no model is answered by
# such a model (CreateImageRequest.model: "Defaults to dall-e-2 unless a parameter
# specific to the GPT image models is used"); those models always answer base64.
GPT_IMAGE_ONLY = ("output_format", "output_compression", "background", "moderation", "partial_images", "stream")


def image_model(body: dict[str, Any], default: Any) -> Any:
    """The model that answers an image request: the one asked, else a GPT image model if a
    GPT-only field is set, else ``default`` (the document's, or the endpoint's)."""
    if body.get("model") is not None:
        return body["model"]
    return "gpt-image-1" if any(body.get(k) is not None for k in GPT_IMAGE_ONLY) else default


def is_gpt_image_model(model: Any) -> bool:
    """Whether ``model`` names a GPT image model (anything but DALL·E), which answers base64."""
    return isinstance(model, str) and not model.startswith("dall-e")
