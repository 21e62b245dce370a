"""Uploaded images are decoded once per digest, and the memo never answers for another
image or for the other rule (a JPEG is an image, but not a PNG)."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from openai_conformance.server import _images
from openai_conformance.server._errors import InvalidRequest
from openai_conformance.server._images import check_edit, open_png, require_image, transparent_png
from openai_conformance.server._validation import Upload
from openai_conformance.spec import Recent


def _upload(data: bytes) -> Upload:
    return Upload("image.png", "image/png", data)


def _encoded(fmt: str, size: tuple[int, int] = (8, 8), mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (10, 20, 30)[: len(mode)] if mode != "RGBA" else (1, 2, 3, 255)).save(out, format=fmt)
    return out.getvalue()


def test_a_jpeg_remembered_as_an_image_is_still_not_a_png() -> None:
    jpeg = _upload(_encoded("JPEG"))
    require_image(jpeg, "image")  # remembered as "an image"
    with pytest.raises(InvalidRequest, match="is JPEG"):
        open_png(jpeg, "image")
    with pytest.raises(InvalidRequest, match="is JPEG"):
        open_png(jpeg, "image")  # and again, from the memo


def test_each_image_is_answered_for_itself() -> None:
    opaque, clear = _upload(_encoded("PNG", mode="RGBA")), _upload(transparent_png(64))
    for _ in range(2):  # the second round answers from the memo
        with pytest.raises(InvalidRequest, match="transparency"):
            check_edit(opaque, None)
        check_edit(clear, None)
        with pytest.raises(InvalidRequest, match="square"):
            open_png(_upload(_encoded("PNG", size=(8, 4))), "image")
        with pytest.raises(InvalidRequest, match="valid PNG"):
            open_png(_upload(b"\x89PNG not really"), "image")
        with pytest.raises(InvalidRequest, match="same dimensions"):
            check_edit(clear, _upload(transparent_png(32)))
    assert open_png(clear, "image").size == (64, 64)


def test_the_memo_is_bounded_and_decodes_once(monkeypatch: pytest.MonkeyPatch) -> None:
    decoded: list[bytes] = []
    real = _images._decode_png

    def counting(data: bytes) -> object:
        decoded.append(data)
        return real(data)

    monkeypatch.setattr(_images, "_decode_png", counting)
    monkeypatch.setattr(_images, "_DECODED", Recent(3))
    images = [_upload(_encoded("PNG", size=(n, n))) for n in (5, 6, 7, 9)]
    for _ in range(3):
        open_png(images[0], "image")
    assert len(decoded) == 1
    for image in images:
        open_png(image, "image")
    assert len(_images._DECODED) <= 3
