"""PNG images: generated ones (cached by size and seed) and the checks uploads must pass.

The API's rules for uploads: a valid PNG, under 4 MB, square; an edit without a
mask needs transparency; a mask is a PNG of the image's size.
"""

from __future__ import annotations

import io
from functools import lru_cache

from PIL import Image, ImageDraw, UnidentifiedImageError

from ._errors import InvalidRequest
from ._validation import Upload

MAX_IMAGE_BYTES = 4 * 1024 * 1024


def side_of(size: str) -> int:
    return int(size.split("x")[0])


@lru_cache(maxsize=256)
def generate_png(side: int, seed: int) -> bytes:
    """A ``side`` x ``side`` PNG drawn from ``seed``: a background and a few shapes."""
    r, g, b = (seed >> 16) & 255, (seed >> 8) & 255, seed & 255
    image = Image.new("RGB", (side, side), (r, g, b))
    draw = ImageDraw.Draw(image)
    for k in range(3):
        x = (seed >> (k * 7)) % max(side // 2, 1)
        draw.ellipse((x, x, x + side // 3, x + side // 3), fill=(b, r, g))
    out = io.BytesIO()
    # Fast compression: images are sent often, and size on loopback matters less.
    image.save(out, format="PNG", compress_level=1)
    return out.getvalue()


@lru_cache(maxsize=8)
def transparent_png(side: int) -> bytes:
    """A square RGBA PNG, transparent in its upper half: a valid edit without a mask."""
    image = Image.new("RGBA", (side, side), (40, 120, 200, 255))
    ImageDraw.Draw(image).rectangle((0, 0, side, side // 2), fill=(0, 0, 0, 0))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def open_png(upload: Upload, param: str) -> Image.Image:
    """The uploaded PNG, decoded, or a 400 saying which rule it breaks."""
    if len(upload.data) >= MAX_IMAGE_BYTES:
        raise InvalidRequest(f"Uploaded image must be less than 4 MB ('{param}').", param=param)
    try:
        image = Image.open(io.BytesIO(upload.data))
        image.load()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise InvalidRequest(f"Invalid image file: '{param}' must be a valid PNG.", param=param) from None
    if image.format != "PNG":
        raise InvalidRequest(f"Uploaded image must be a PNG ('{param}' is {image.format}).", param=param)
    if image.width != image.height:
        raise InvalidRequest(f"Uploaded image must be square ('{param}' is {image.width}x{image.height}).", param=param)
    return image


def has_transparency(image: Image.Image) -> bool:
    if image.mode in ("RGBA", "LA", "PA"):
        low = image.getchannel("A").getextrema()[0]  # one band: (min, max) of ints
        return isinstance(low, (int, float)) and low < 255
    return "transparency" in image.info


def require_image(upload: Upload, param: str) -> None:
    """A part sent as ``image/*`` must decode as one, whatever the operation does with it."""
    try:
        with Image.open(io.BytesIO(upload.data)) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError, SyntaxError):
        raise InvalidRequest(f"Invalid image file: '{param}' is not an image.", param=param) from None


def check_edit(image_upload: Upload, mask_upload: Upload | None) -> None:
    """The rules of ``createImageEdit``'s ``image`` and ``mask``."""
    image = open_png(image_upload, "image")
    if mask_upload is None:
        if not has_transparency(image):
            raise InvalidRequest(
                "Uploaded image must have transparency when no mask is given, to be used as the mask.", param="image"
            )
        return
    mask = open_png(mask_upload, "mask")
    if mask.size != image.size:
        raise InvalidRequest("Invalid mask: it must have the same dimensions as the image.", param="mask")
