"""Files in multipart bodies: PNGs that meet the image rules, JSONL training files."""

from __future__ import annotations

import io
import json

import pytest
from PIL import Image

from spec import Spec
from strategies import FilePart, draw_cases, from_operation

FOUR_MB = 4 * 1024 * 1024


def _image(part: FilePart) -> Image.Image:
    image = Image.open(io.BytesIO(part.content))
    image.load()
    return image


@pytest.mark.parametrize("operation_id", ["createImageEdit", "createImageVariation"])
def test_images_are_square_small_rgba_pngs_with_transparency(
    seed_spec: Spec, operation_id: str
) -> None:
    op = seed_spec.operation(operation_id)
    sizes = set()
    for case in draw_cases(from_operation(seed_spec, op), 40, seed=1):
        part = case.form["image"]
        image = _image(part)
        assert image.format == "PNG" and image.mode == "RGBA"
        assert image.width == image.height and len(part.content) < FOUR_MB
        assert image.getextrema()[3][0] == 0  # some pixels fully transparent
        sizes.add(image.width)
        if "mask" in case.form:
            mask = _image(case.form["mask"])
            assert mask.size == image.size and mask.mode == "RGBA"
            assert mask.getextrema()[3] == (0, 255)
    assert len(sizes) > 1


def test_a_mask_is_sent_in_some_edits(seed_spec: Spec) -> None:
    cases = draw_cases(
        from_operation(seed_spec, seed_spec.operation("createImageEdit")), 40, seed=2
    )
    assert 0 < sum("mask" in c.form for c in cases) < 40


def test_uploads_are_jsonl_with_prompt_and_completion_on_every_line(seed_spec: Spec) -> None:
    for case in draw_cases(
        from_operation(seed_spec, seed_spec.operation("createFile")), 30, seed=3
    ):
        part = case.form["file"]
        assert isinstance(part, FilePart) and part.filename.endswith(".jsonl")
        assert case.form["purpose"] == "fine-tune"
        lines = part.content.decode().splitlines()
        assert len(lines) >= 2
        for line in lines:
            record = json.loads(line)
            assert isinstance(record["prompt"], str) and isinstance(record["completion"], str)
