"""Files in multipart bodies: PNGs that meet the image rules, JSONL training files."""

from __future__ import annotations

import io
import json

import pytest
from PIL import Image

from openai_conformance.spec import Spec
from openai_conformance.strategies import FilePart, curl_fields, draw_cases, from_operation

FOUR_MB = 4 * 1024 * 1024


def _image(part: FilePart) -> Image.Image:
    image = Image.open(io.BytesIO(part.content))
    image.load()
    return image


@pytest.mark.parametrize("operation_id", ["createImageEdit", "createImageVariation"])
def test_images_are_square_small_rgba_pngs_with_transparency(seed_spec: Spec, operation_id: str) -> None:
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
    cases = draw_cases(from_operation(seed_spec, seed_spec.operation("createImageEdit")), 40, seed=2)
    assert 0 < sum("mask" in c.form for c in cases) < 40


def test_uploads_are_jsonl_with_prompt_and_completion_on_every_line(seed_spec: Spec) -> None:
    for case in draw_cases(from_operation(seed_spec, seed_spec.operation("createFile")), 30, seed=3):
        part = case.form["file"]
        assert isinstance(part, FilePart) and part.filename.endswith(".jsonl")
        assert case.form["purpose"] == "fine-tune"
        lines = part.content.decode().splitlines()
        assert len(lines) >= 2
        for line in lines:
            record = json.loads(line)
            assert isinstance(record["prompt"], str) and isinstance(record["completion"], str)


KINDS_23 = {  # operation -> part -> content type, decided by encoding, part name or description
    "createTranscription": ("file", "audio/wav"),
    "CreateVideoCharacter": ("video", "video/mp4"),
    "addUploadPart": ("data", "application/octet-stream"),
    "CreateSkill": ("files", "application/zip"),
    "Createcontentprovenancecheck": ("file", "image/png"),
    "createFile": ("file", "application/jsonl"),
}


@pytest.mark.parametrize("operation_id", list(KINDS_23))
def test_binary_parts_of_other_specs_get_plausible_files(operation_id: str) -> None:
    import wave
    import zipfile

    from openai_conformance.spec import load_spec

    spec = load_spec("openai-2.3.0-2026-08-21")
    part_name, content_type = KINDS_23[operation_id]
    readers = {
        "audio/wav": lambda b: wave.open(io.BytesIO(b)).getnframes() > 0,
        "application/zip": lambda b: zipfile.ZipFile(io.BytesIO(b)).namelist() != [],
        "image/png": lambda b: _image(FilePart("x.png", "image/png", b)).format == "PNG",
        "video/mp4": lambda b: b[4:8] == b"ftyp",
        "application/jsonl": lambda b: all(json.loads(line) for line in b.splitlines()),
        "application/octet-stream": lambda b: len(b) > 0,
    }
    seen = 0
    for case in draw_cases(from_operation(spec, spec.operation(operation_id)), 20, seed=1):
        parts = (case.form or {}).get(part_name)  # an optional body may be left out
        for part in parts if isinstance(parts, list) else [parts] if parts else []:
            assert part.content_type in (content_type, None)  # None: sent without one
            assert readers[content_type](part.content)
            seen += 1
    assert seen


def test_image_arrays_share_one_size_with_their_mask() -> None:
    from openai_conformance.spec import load_spec

    spec = load_spec("openai-2.3.0-2026-08-21")  # image: one PNG or an array of up to 16
    cases = draw_cases(from_operation(spec, spec.operation("createImageEdit")), 60, seed=2)
    arrays = [c for c in cases if c.form and isinstance(c.form.get("image"), list) and c.form["image"]]
    assert arrays
    for case in arrays:
        sizes = {_image(p).size for p in case.form["image"]}
        if "mask" in case.form:
            sizes.add(_image(case.form["mask"]).size)
        assert len(sizes) == 1


@pytest.mark.parametrize(("operation_id", "part_name"), [("createFile", "file"), ("createImageEdit", "image")])
def test_some_file_parts_go_without_a_content_type(seed_spec: Spec, operation_id: str, part_name: str) -> None:
    cases = draw_cases(from_operation(seed_spec, seed_spec.operation(operation_id)), 40, seed=4)
    types = [c.form[part_name].content_type for c in cases]
    assert 5 < types.count(None) < 35  # RFC 7578 lets a part omit it; most parts still carry one


def test_curl_sends_a_form_with_f_unless_a_part_has_no_content_type() -> None:
    typed = FilePart("a.png", "image/png", b"x")
    form = {"image": [typed, typed], "prompt": "A hat"}
    assert curl_fields(form) == ["image=@a.png;type=image/png", "image=@a.png;type=image/png", "prompt=A hat"]
    assert curl_fields({"image": FilePart("a.png", None, b"x"), "prompt": "A hat"}) is None
