"""Real files for ``format: binary`` parts: PNGs that meet the image rules, JSONL, audio, ...

Which kind of file a part gets is decided by data, in order: the encoding's
``contentType``, the part's name, words of its description; JSONL otherwise.
Files are built once per kind and size and reused (a 1024x1024 PNG takes ms).
Some file parts go without a Content-Type of their own: RFC 7578 lets a part omit it,
clients do (a bare ``files={"file": fh}``), and servers that assume one crash on them.
"""

from __future__ import annotations

import io
import json
import wave
import zipfile
from collections.abc import Callable
from functools import cache
from random import Random
from typing import Any

from ._case import FilePart
from ._schema import Binary

IMAGE_SIDES = (256, 512, 1024)  # square, as the image endpoints require
UNTYPED_SHARE = 1 / 3  # of file parts sent without a Content-Type: a few in every operation's cases

# part name -> kind; only names that say what they hold.
KIND_BY_NAME = {
    "image": "png",
    "mask": "png",
    "images": "png",
    "audio": "wav",
    "audio_sample": "wav",
    "recording": "wav",
    "video": "mp4",
    "files": "zip",
    "data": "bin",
}
# Words of a part's description -> kind, first match wins.
KIND_BY_WORD = (
    ("image", "png"),
    ("png", "png"),
    ("audio", "wav"),
    ("video", "mp4"),
    ("zip", "zip"),
    ("json lines", "jsonl"),
    ("jsonl", "jsonl"),
)
KIND_BY_CONTENT_TYPE = {"image/png": "png", "application/jsonl": "jsonl", "application/zip": "zip"}


def _png(side: int, mask: bool) -> bytes:
    """RGBA, square; a transparent centre (the area to edit) on an opaque picture or mask."""
    from PIL import Image, ImageDraw

    colour = (0, 0, 0, 255) if mask else (40, 120, 200, 255)
    image = Image.new("RGBA", (side, side), colour)
    draw = ImageDraw.Draw(image)
    if not mask:
        draw.ellipse((side // 8, side // 8, side // 2, side // 2), fill=(240, 200, 40, 255))
    draw.rectangle((side // 4, side // 4, 3 * side // 4, 3 * side // 4), fill=(0, 0, 0, 0))
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=6)
    return out.getvalue()


def _wav() -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(16000)
        handle.writeframes(b"\x00\x00" * 1600)  # 0.1 s of silence
    return out.getvalue()


def _zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("SKILL.md", "---\nname: example\ndescription: An example.\n---\nHello.\n")
    return out.getvalue()


_MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom\x00\x00\x00\x08mdat"
_LINES = (
    ("Say hello ->", " hello"),
    ("2 + 2 =", " 4"),
    ("Translate 'chat' to English ->", " cat"),
    ("The capital of France is", " Paris"),
)


def jsonl(rnd: Random) -> bytes:
    """A training file: every line a JSON object with ``prompt`` and ``completion``."""
    count = rnd.randint(2, len(_LINES))
    lines = [json.dumps({"prompt": p, "completion": c}) for p, c in _LINES[:count]]
    return ("\n".join(lines) + "\n").encode()


_STATIC: dict[str, tuple[str, str, Callable[[], bytes]]] = {  # kind -> filename, type, content
    "wav": ("audio.wav", "audio/wav", cache(_wav)),
    "mp4": ("video.mp4", "video/mp4", lambda: _MP4),
    "zip": ("skill.zip", "application/zip", cache(_zip)),
    "bin": ("data.bin", "application/octet-stream", lambda: b"\x00\x01chunk of bytes\n"),
}
png = cache(_png)


def kind_of(slot: Binary, encoding: dict[str, Any]) -> str:
    content_type = (encoding.get(slot.name) or {}).get("contentType", "")
    if content_type in KIND_BY_CONTENT_TYPE:
        return KIND_BY_CONTENT_TYPE[content_type]
    if slot.name in KIND_BY_NAME:
        return KIND_BY_NAME[slot.name]
    text = slot.description.lower()
    return next((kind for word, kind in KIND_BY_WORD if word in text), "jsonl")


class FileMaker:
    """Turns the ``Binary`` slots of one case into files; all images of a case share a size."""

    def __init__(self, rnd: Random, encoding: dict[str, Any]) -> None:
        self.rnd = rnd
        self.encoding = encoding
        self.side = rnd.choice(IMAGE_SIDES)

    def make(self, slot: Binary) -> FilePart:
        part = self._typed(kind_of(slot, self.encoding), slot.name)
        if self.rnd.random() < UNTYPED_SHARE:
            return FilePart(part.filename, None, part.content)  # the server must go by name or bytes
        return part

    def _typed(self, kind: str, name: str) -> FilePart:
        if kind == "png":
            mask = name == "mask"
            return FilePart("mask.png" if mask else "image.png", "image/png", png(self.side, mask))
        if kind == "jsonl":
            return FilePart("training.jsonl", "application/jsonl", jsonl(self.rnd))
        filename, content_type, content = _STATIC[kind]
        return FilePart(filename, content_type, content())

    def fill(self, value: Any) -> Any:
        """``value`` with every ``Binary`` slot replaced by its file."""
        if isinstance(value, Binary):
            return self.make(value)
        if isinstance(value, list):
            return [self.fill(v) for v in value]
        if isinstance(value, dict):
            return {k: self.fill(v) for k, v in value.items()}
        return value
