"""``image_count_size_format`` against a third-party-like image server (image_server.py).

The model rule (no model given: a GPT-only field picks a GPT image model, which answers
base64) is held on a server written unlike the reference: silent where it follows the
rule, loud where it serves dall-e-2's URL instead.
"""

from __future__ import annotations

from collections.abc import Iterator

import image_server
import pytest
from checking import check
from stdlib_server import SPEC, serve

from openai_conformance.spec import Spec, apply_errata, load_spec

PROMPT = "A cute baby sea otter"
RIGHT = [
    {"prompt": PROMPT},
    {"prompt": PROMPT, "output_format": "jpeg", "size": "1024x1024"},
    {"prompt": PROMPT, "background": "opaque", "size": "1024x1024"},
    {"prompt": PROMPT, "model": "dall-e-3", "response_format": "b64_json", "size": "1024x1024"},
    {"prompt": PROMPT, "model": "gpt-image-1", "n": 2, "size": "1024x1024"},
]


@pytest.fixture(scope="module")
def spec() -> Spec:
    return apply_errata(load_spec(SPEC))[0]


@pytest.fixture(scope="module")
def right() -> Iterator[str]:
    with serve([image_server.routes]) as url:
        yield url


@pytest.mark.parametrize("body", RIGHT, ids=lambda b: ",".join(sorted(b)))
def test_a_server_that_follows_the_model_rule_is_not_blamed(spec: Spec, right: str, body: dict) -> None:
    assert check(spec, right, "image_count_size_format", "createImage", "/images/generations", body) == []


def test_a_gpt_only_field_answered_with_a_url_is_found(spec: Spec) -> None:
    body = {"prompt": PROMPT, "output_format": "png", "size": "1024x1024"}
    with serve([image_server.routes], bugs=["dalle_for_gpt_fields"]) as url:
        [failure] = check(spec, url, "image_count_size_format", "createImage", "/images/generations", body)
    assert failure.message == "image 0 lacks b64_json" and failure.pointer == "/data/0"
