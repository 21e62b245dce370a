"""PNG images: generated ones (cached by size and seed) and the checks uploads must pass.

The API's rules for uploads: a valid PNG, under 4 MB, square; an edit without a
mask needs transparency; a mask is a PNG of the image's size.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageDraw, UnidentifiedImageError

from openai_conformance.spec import Recent

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


@dataclass(frozen=True)
class Png:
    """What the upload rules need of a decoded PNG: its size and whether it has transparency."""

    width: int
    height: int
    transparent: bool

    @property
    def size(self) -> tuple[int, int]:
        return (self.width, self.height)


# Decoding is ~8 ms a PNG, and a run uploads the same few images hundreds of times:
# what each upload decoded to is kept by its digest (the digest only, never the bytes).
_DECODED: Recent[tuple[str, bytes], Png | str] = Recent(256)


def _remembered(kind: str, data: bytes, decode: Callable[[bytes], Png | str]) -> Png | str:
    return _DECODED.get((kind, hashlib.sha1(data, usedforsecurity=False).digest()), lambda: decode(data))


def _decode_png(data: bytes) -> Png | str:
    """The PNG's facts, or the name of the rule it breaks (``invalid`` or its format)."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            if image.format != "PNG":
                return str(image.format)
            return Png(image.width, image.height, has_transparency(image))
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return "invalid"


def open_png(upload: Upload, param: str) -> Png:
    """The uploaded PNG's facts, or a 400 saying which rule it breaks."""
    if len(upload.data) >= MAX_IMAGE_BYTES:
        raise InvalidRequest(f"Uploaded image must be less than 4 MB ('{param}').", param=param)
    image = _remembered("png", upload.data, _decode_png)
    if image == "invalid":
        raise InvalidRequest(f"Invalid image file: '{param}' must be a valid PNG.", param=param)
    if isinstance(image, str):
        raise InvalidRequest(f"Uploaded image must be a PNG ('{param}' is {image}).", param=param)
    if image.width != image.height:
        raise InvalidRequest(f"Uploaded image must be square ('{param}' is {image.width}x{image.height}).", param=param)
    return image


def has_transparency(image: Image.Image) -> bool:
    if image.mode in ("RGBA", "LA", "PA"):
        low = image.getchannel("A").getextrema()[0]  # one band: (min, max) of ints
        return isinstance(low, (int, float)) and low < 255
    return "transparency" in image.info


def _verify(data: bytes) -> Png | str:
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            return Png(image.width, image.height, transparent=False)  # only "it is an image" is used
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError, SyntaxError):
        return "invalid"


def require_image(upload: Upload, param: str) -> None:
    """A part sent as ``image/*`` must decode as one, whatever the operation does with it."""
    if _remembered("image", upload.data, _verify) == "invalid":
        raise InvalidRequest(f"Invalid image file: '{param}' is not an image.", param=param)


def check_edit(image_upload: Upload, mask_upload: Upload | None) -> None:
    """The rules of ``createImageEdit``'s ``image`` and ``mask``."""
    image = open_png(image_upload, "image")
    if mask_upload is None:
        if not image.transparent:
            raise InvalidRequest(
                "Uploaded image must have transparency when no mask is given, to be used as the mask.", param="image"
            )
        return
    mask = open_png(mask_upload, "mask")
    if mask.size != image.size:
        raise InvalidRequest("Invalid mask: it must have the same dimensions as the image.", param="mask")
