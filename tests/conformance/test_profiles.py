"""Profiles: one per API generation, chosen from the document; defaults from the schema."""

from __future__ import annotations

import base64
import json

import pytest

from openai_conformance.checks._base import CheckContext, Response
from openai_conformance.checks._semantic import image_count_size_format_conformance
from openai_conformance.engine._fixtures import png
from openai_conformance.profiles import LEGACY, MODERN, profile_for, request_default
from openai_conformance.spec import load_spec, shipped_specs
from openai_conformance.strategies import Case


@pytest.mark.parametrize("name", shipped_specs())
def test_the_profile_is_chosen_from_the_document(name: str) -> None:
    spec = load_spec(name)
    expected = MODERN if spec.version.startswith("2.3") else LEGACY
    assert profile_for(spec) is expected
    # every workflow names only operations the document has
    for workflow, needs in profile_for(spec).workflows.values():
        assert callable(workflow) and set(needs) <= {op.operation_id for op in spec.operations}, name


def test_request_defaults_come_from_the_schema() -> None:
    seed, newest = load_spec("openai-1.1.0"), load_spec("openai-2.3.0-2026-08-21")
    assert request_default(seed, seed.operation("createImage"), "size") == "1024x1024"
    assert request_default(newest, newest.operation("createImage"), "size") == "auto"
    assert request_default(newest, newest.operation("createImage"), "not-a-property") is None


def _image_findings(name: str) -> list[str]:
    spec = load_spec(name)
    op = spec.operation("createImage")
    case = Case(
        "createImage",
        "POST",
        "/images/generations",
        mode="positive",
        media_type="application/json",
        json={"prompt": "an otter", "response_format": "b64_json"},
    )
    body = {"created": 1, "data": [{"b64_json": base64.b64encode(png(64)).decode()}]}
    response = Response(200, {"content-type": "application/json"}, json.dumps(body).encode(), 1.0)
    return [f.message for f in image_count_size_format_conformance(CheckContext(spec, op, case, response))]


def test_an_image_of_any_size_is_fine_where_the_default_size_is_auto() -> None:
    assert _image_findings("openai-2.3.0-2026-08-21") == []
    assert _image_findings("openai-1.1.0") == ["image 0 is 64x64, asked 1024x1024"]


def test_every_check_of_a_generation_is_in_the_catalogue_and_the_generations_do_not_share() -> None:
    from openai_conformance.checks import CHECKS
    from openai_conformance.profiles import checks_elsewhere

    assert LEGACY.checks | MODERN.checks <= set(CHECKS.names())
    assert checks_elsewhere(LEGACY) == MODERN.checks and not LEGACY.checks & MODERN.checks
