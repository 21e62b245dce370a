"""Errata overlay: rules per version, applied to a new Spec, never to the loaded one."""

from __future__ import annotations

import pytest

from openai_conformance.spec import Erratum, apply_errata, errata_for, load_spec, shipped_specs
from openai_conformance.spec._errata import PATCHES, all_errata
from openai_conformance.spec._refs import lookup

CHUNK = {
    "id": "cmpl-1",
    "object": "text_completion",
    "created": 1,
    "model": "m",
    "choices": [{"text": "a", "index": 0, "logprobs": None, "finish_reason": None}],
}
EXPECTED = {
    "openai-1.1.0": ["completion-finish-reason-null", "download-file-raw-bytes"],
    "openai-1.2.0": ["completion-finish-reason-null", "chat-finish-reason-null", "download-file-raw-bytes"],
    "openai-1.3.0": [
        "completion-finish-reason-null",
        "chat-finish-reason-null",
        "chat-max-tokens-default-inf",
        "download-file-raw-bytes",
    ],
    "openai-2.0.0": ["completion-finish-reason-null", "chat-max-tokens-default-inf", "download-file-raw-bytes"],
    "openai-2.3.0-2026-08-21": [
        "completion-finish-reason-null",
        "download-file-raw-bytes",
        "embedding-base64-string",
        "stored-chat-messages-any-role",
        "response-usage-null",
        "chat-max-completion-tokens-minimum",
        "upload-bytes-range",
    ],
}


@pytest.mark.parametrize("name", shipped_specs())
def test_errata_per_version(name) -> None:
    assert [e.id for e in errata_for(load_spec(name))] == EXPECTED[name]


def test_every_rule_points_into_every_version_it_names() -> None:
    versions = {load_spec(n).version: n for n in shipped_specs()}
    for erratum in all_errata():
        assert erratum.reason and set(erratum.patch) <= set(PATCHES)
        for version in erratum.versions:
            lookup(load_spec(versions[version]).document, erratum.pointer)


def test_stream_chunk_with_null_finish_reason() -> None:
    spec = load_spec("openai-1.1.0")
    pointer = spec.operation("createCompletion").responses["200"].content["application/json"].pointer
    before = spec.validator(pointer)
    patched, applied = apply_errata(spec)
    assert all(type(e) is Erratum for e in applied)
    assert patched is not spec and patched.validator(pointer) is not before
    assert patched.validator(pointer).is_valid(CHUNK)
    # The loaded spec, its cached validator and a fresh load are untouched.
    assert not before.is_valid(CHUNK)
    assert not spec.validator(pointer).is_valid(CHUNK)
    assert not load_spec("openai-1.1.0").validator(pointer).is_valid(CHUNK)
    # A wrong type is still wrong.
    wrong = {**CHUNK, "choices": [{**CHUNK["choices"][0], "finish_reason": 3}]}
    assert not patched.validator(pointer).is_valid(wrong)


def test_only_the_patched_path_is_copied() -> None:
    spec = load_spec("openai-1.3.0")
    patched, _ = apply_errata(spec)
    schemas, new_schemas = spec.document["components"]["schemas"], patched.document["components"]["schemas"]
    assert new_schemas["CreateEditRequest"] is schemas["CreateEditRequest"]
    assert new_schemas["CreateCompletionResponse"] is not schemas["CreateCompletionResponse"]
    assert "default" in schemas["CreateChatCompletionRequest"]["properties"]["max_tokens"]
    assert "default" not in new_schemas["CreateChatCompletionRequest"]["properties"]["max_tokens"]
    assert patched.raw is spec.raw
    assert [op.operation_id for op in patched.operations] == [op.operation_id for op in spec.operations]


def test_a_content_type_erratum_is_indexed() -> None:
    spec = load_spec("openai-1.1.0")
    patched, _ = apply_errata(spec)
    content = patched.operation("downloadFile").responses["200"].content
    assert set(content) == {"application/json", "application/octet-stream"}
    assert set(spec.operation("downloadFile").responses["200"].content) == {"application/json"}


def test_no_errata_still_gives_a_new_spec() -> None:
    spec = load_spec("openai-2.3.0-2026-08-21")
    patched, applied = apply_errata(spec, only=[])
    assert applied == [] and patched is not spec and patched.document is spec.document
