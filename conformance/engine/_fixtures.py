"""Files a run sends itself: training JSONL and images for `-F @file` and workflows."""

from __future__ import annotations

import io
import json
from functools import lru_cache

TRAINING_LINES = [
    {"prompt": "Say hello ->", "completion": " hello\n"},
    {"prompt": "Say goodbye ->", "completion": " goodbye\n"},
    {"prompt": "Count to two ->", "completion": " one two\n"},
]


def training_jsonl() -> bytes:
    """A small fine-tune training file: JSONL, prompt and completion on every line."""
    return "".join(json.dumps(line) + "\n" for line in TRAINING_LINES).encode()


@lru_cache(maxsize=8)
def png(size: int = 64, *, transparent: bool = True) -> bytes:
    """A square RGBA PNG; with a transparent corner, as image edits want without a mask."""
    from PIL import Image

    image = Image.new("RGBA", (size, size), (40, 120, 200, 255))
    if transparent:
        for x in range(size // 2):
            for y in range(size // 2):
                image.putpixel((x, y), (0, 0, 0, 0))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def fixture_for(path: str) -> tuple[str, bytes]:
    """Content for a file named in an example (``@mydata.jsonl``, ``@otter.png``)."""
    name = path.rsplit("/", 1)[-1]
    if name.endswith(".png"):
        return "image/png", png(64, transparent="mask" not in name)
    if name.endswith((".jsonl", ".json")):
        return "application/jsonl", training_jsonl()
    return "application/octet-stream", training_jsonl()
