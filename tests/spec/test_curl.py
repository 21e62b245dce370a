"""curl examples read into requests: every one of the seed, and the option table."""

from __future__ import annotations

import pytest

from openai_conformance.spec import load_spec, shipped_specs
from openai_conformance.spec._curl import CurlParseError, FileRef, parse_curl
from openai_conformance.spec._oaimeta import operation_examples


def test_every_seed_curl_example_matches_its_operation() -> None:
    spec = load_spec("openai-1.1.0")
    for op in spec.operations:
        (example,) = operation_examples(op, "curl")
        request = parse_curl(example.text)
        assert request.method == op.method, op.operation_id
        assert request.path.startswith(spec.base_path)
        template = op.path.split("/")
        concrete = request.path.removeprefix(spec.base_path).split("/")
        assert len(template) == len(concrete), op.operation_id
        assert all(t.startswith("{") or t == c for t, c in zip(template, concrete, strict=True)), op.operation_id
        assert request.headers["Authorization"] == "Bearer YOUR_API_KEY"
        body = op.request_body
        if body is None:
            assert request.json is None and request.form is None
        elif "multipart/form-data" in body.content:
            assert request.form, op.operation_id
        else:
            # every JSON body of the seed validates against its request schema
            assert request.json_error is None, op.operation_id
            validator = spec.validator(body.content["application/json"].pointer)
            assert validator.is_valid(request.json), op.operation_id


def test_seed_form_and_file_fields() -> None:
    spec = load_spec("openai-1.1.0")
    edit = parse_curl(spec.operation("createImageEdit").meta.examples["curl"])
    assert edit.form == {
        "image": FileRef("otter.png"),
        "mask": FileRef("mask.png"),
        "prompt": "A cute baby sea otter wearing a beret",
        "n": "2",
        "size": "1024x1024",
    }
    upload = parse_curl(spec.operation("createFile").meta.examples["curl"])
    assert upload.form == {"purpose": "fine-tune", "file": FileRef("mydata.jsonl")}
    download = parse_curl(spec.operation("downloadFile").meta.examples["curl"])
    assert download.path.endswith("/content")  # `> file.jsonl` is the shell's, not curl's


@pytest.mark.parametrize("name", shipped_specs())
def test_curl_examples_of_every_document_parse_or_fail_in_one_line(name) -> None:
    spec = load_spec(name)
    failures = []
    for op in spec.operations:
        for example in operation_examples(op, "curl"):
            try:
                parse_curl(example.text)
            except CurlParseError as exc:
                assert "\n" not in str(exc)
                failures.append(example.pointer)
    # 2.3.0 has two broken ones: an images/edits example whose first word is
    # not the URL's line, and an unclosed quote in file_batches.
    assert len(failures) == (2 if name.startswith("openai-2.3") else 0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("curl -XDELETE https://h/v1/a", {"method": "DELETE", "path": "/v1/a"}),
        (
            "curl https://h/v1/a?limit=2 -H 'X-A: 1' -H\"X-B:2\"",
            {"headers": {"X-A": "1", "X-B": "2"}, "query": "limit=2", "method": "GET"},
        ),
        ("curl https://h/v1/a --data-raw '{\"a\": [1, ...]}'", {"method": "POST", "data": '{"a": [1, ...]}'}),
        ("curl https://h/v1/a -d 'a=1'", {"json": None, "data": "a=1"}),
        ("curl --request post --url https://h/v1/b", {"method": "POST", "path": "/v1/b"}),
        (
            "curl https://h/v1/f -F 'file=@a.jsonl;type=application/jsonl' --form-string 'x=@y'",
            {"form": {"file": FileRef("a.jsonl", "application/jsonl"), "x": "@y"}},
        ),
        (
            "curl https://h/v1/s \\\n  -N \\\n  --json '{\"stream\": true}' | jq .",
            {"json": {"stream": True}, "headers": {"Content-Type": "application/json"}, "options": ("-N",)},
        ),
    ],
    ids=["inline-method", "headers-query", "data-raw-elided", "form-data", "long-options", "form-types", "json-pipe"],
)
def test_curl_options(text, expected) -> None:
    request = parse_curl(text)
    for key, value in expected.items():
        assert getattr(request, key) == value, key


@pytest.mark.parametrize(
    "text",
    [
        "wget https://h",
        "curl -H",
        "curl -H 'NoColon' https://h",
        "curl 'https://h",
        "curl -X GET",
        "curl https://a https://b",
    ],
)
def test_bad_curl_is_one_line(text) -> None:
    with pytest.raises(CurlParseError) as info:
        parse_curl(text)
    assert "\n" not in str(info.value)
