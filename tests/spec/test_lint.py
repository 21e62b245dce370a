"""``spec lint``: the real findings of the shipped documents, each rule, and the CLI."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from openai_conformance.cli import main
from openai_conformance.spec import load_spec
from openai_conformance.spec._lint import KINDS, lint

ENGINE_MODEL_EXAMPLES = [
    (
        "/paths/~1engines/get/x-oaiMeta/response",
        "listEngines: response example at /data/0: 'created' is a required property",
    ),
    (
        "/paths/~1engines/get/x-oaiMeta/response",
        "listEngines: response example at /data/1: 'created' is a required property",
    ),
    (
        "/paths/~1engines/get/x-oaiMeta/response",
        "listEngines: response example at /data/2: 'created' is a required property",
    ),
    (
        "/paths/~1engines~1{engine_id}/get/x-oaiMeta/response",
        "retrieveEngine: response example at /: 'created' is a required property",
    ),
    (
        "/paths/~1models/get/x-oaiMeta/response",
        "listModels: response example at /data/0: 'created' is a required property",
    ),
    (
        "/paths/~1models/get/x-oaiMeta/response",
        "listModels: response example at /data/1: 'created' is a required property",
    ),
    (
        "/paths/~1models/get/x-oaiMeta/response",
        "listModels: response example at /data/2: 'created' is a required property",
    ),
    (
        "/paths/~1models~1{model}/get/x-oaiMeta/response",
        "retrieveModel: response example at /: 'created' is a required property",
    ),
]


def test_seed_findings_are_the_engine_and_model_examples() -> None:
    findings = lint(load_spec("openai-1.1.0"))
    assert [(f.pointer, f.message) for f in findings] == ENGINE_MODEL_EXAMPLES
    assert {(f.kind, f.severity) for f in findings} == {("example_invalid", "error")}


def test_elisions_do_not_cause_findings() -> None:
    # listFineTunes and cancelFineTune elide required keys (`{ ... }` items):
    # none of their examples is reported.
    findings = lint(load_spec("openai-1.1.0"))
    assert not [f for f in findings if "FineTune" in f.message or "Embedding" in f.message]


def test_1_3_0_max_tokens_default_inf() -> None:
    findings = lint(load_spec("openai-1.3.0"))
    defaults = [f for f in findings if f.kind == "default_invalid"]
    assert [(f.pointer, f.severity) for f in defaults] == [
        ("/components/schemas/CreateChatCompletionRequest/properties/max_tokens/default", "error")
    ]
    assert "'inf'" in defaults[0].message


def test_2_0_0_model_oneof_overlaps_in_every_request() -> None:
    findings = [f for f in lint(load_spec("openai-2.0.0")) if f.kind == "oneof_overlap"]
    owners = {f.pointer.split("/")[3] for f in findings}
    assert owners == {
        "CreateChatCompletionRequest",
        "CreateCompletionRequest",
        "CreateEditRequest",
        "CreateEmbeddingRequest",
        "CreateFineTuneRequest",
        "CreateModerationRequest",
        "CreateTranscriptionRequest",
        "CreateTranslationRequest",
    }
    assert all(f.pointer.endswith("/properties/model/oneOf") for f in findings)


DOC = """
openapi: 3.0.0
info: {title: t, version: '1'}
paths:
  /things:
    post:
      operationId: createThing
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Req'}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
      x-oaiMeta:
        parameters: '{"size": "big",}'
        response: '{"id": 1, "tags": [...], ...}'
        examples: {curl: "curl https://h/v1/things -d '{}'"}
  /other:
    get:
      operationId: getOther
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {when: {type: string, format: unixtime}}}
      x-oaiMeta:
        response: '{"a": 1 "b": 2}'
  /bare:
    get:
      operationId: getBare
      responses: {'204': {description: none}}
components:
  schemas:
    Req:
      type: object
      properties:
        size: {type: integer, default: none}
        kind: {oneOf: [{type: string}, {type: string, enum: [a, b]}]}
        either: {oneOf: [{$ref: '#/components/schemas/Thing'}, {type: string}]}
    Thing:
      type: object
      required: [id, name]
      properties:
        id: {type: string}
        name: {type: string}
        tags: {type: array, items: {type: string}}
"""

EXPECTED = [  # errors first, then by pointer
    ("error", "oneof_overlap", "/components/schemas/Req/properties/kind/oneOf"),
    ("error", "default_invalid", "/components/schemas/Req/properties/size/default"),
    ("error", "example_invalid", "/paths/~1things/post/x-oaiMeta/parameters"),  # "big" is not an integer
    ("error", "example_invalid", "/paths/~1things/post/x-oaiMeta/response"),  # id 1; `name` may be elided
    ("warning", "no_examples", "/paths/~1bare/get"),
    (
        "warning",
        "unknown_format",
        "/paths/~1other/get/responses/200/content/application~1json/schema/properties/when/format",
    ),
    ("warning", "example_unparseable", "/paths/~1other/get/x-oaiMeta/response"),
]


def test_each_rule_on_a_small_document(tmp_path) -> None:
    path = tmp_path / "doc.yaml"
    path.write_text(DOC)
    findings = lint(load_spec(str(path), cache=False))
    assert [(f.severity, f.kind, f.pointer) for f in findings] == EXPECTED
    assert all(KINDS[f.kind][0] == f.severity for f in findings)
    response = next(f for f in findings if f.pointer.endswith("/post/x-oaiMeta/response"))
    assert "at /id: 1 is not of type 'string'" in response.message


def test_cli_lint_text_and_exit_code(capsys) -> None:
    assert main(["spec", "lint"]) == 1
    out = capsys.readouterr().out
    assert out.count("example_invalid") == 8
    assert out.rstrip().endswith("8 errors, 0 warnings")


def test_cli_lint_json(capsys) -> None:
    assert main(["spec", "lint", "openai-1.3.0", "--format", "json"]) == 1
    document = json.loads(capsys.readouterr().out)
    assert document["errors"] == 10 and document["warnings"] == 0
    assert set(document["findings"][0]) == {"pointer", "message", "severity", "kind"}


def test_cli_lint_exit_0_without_errors(tmp_path, capsys) -> None:
    path = tmp_path / "doc.yaml"
    path.write_text(
        "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n"
        "      operationId: a\n      responses: {'204': {description: none}}\n"
    )
    assert main(["spec", "lint", str(path)]) == 0
    assert "0 errors, 1 warnings" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (None, "not found: "),
        ("openapi: 3.0.0\npaths: {a: [\n", "line 3, column 1"),
        ("swagger: '2.0'\npaths: {}\n", "not an OpenAPI 3.x document"),
        (
            "openapi: 3.0.0\npaths: {}\ncomponents:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n",
            "/components/schemas/A/$ref points nowhere: '#/components/schemas/B'",
        ),
    ],
    ids=["missing-file", "invalid-yaml", "not-openapi", "dangling-ref"],
)
def test_cli_bad_input_is_one_line_exit_2(tmp_path, capsys, content, fragment) -> None:
    path = tmp_path / "doc.yaml"
    if content is not None:
        path.write_text(content)
    assert main(["spec", "lint", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1 and fragment in lines[0]


def test_cli_usage_errors(capsys) -> None:
    assert main(["spec"]) == 2
    assert main(["spec", "lint", "--format", "xml"]) == 2
    assert len(capsys.readouterr().err.splitlines()) == 2


def test_real_process_has_no_traceback(tmp_path) -> None:
    path = tmp_path / "doc.yaml"
    path.write_text("openapi: 3.0.0\npaths: {a: [\n")
    done = subprocess.run(
        [sys.executable, "-m", "openai_conformance", "spec", "lint", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1 and "line 3, column 1" in done.stderr


def test_2_3_0_findings_by_kind() -> None:
    from collections import Counter

    findings = lint(load_spec("openai-2.3.0-2026-08-21"))
    assert Counter(f.kind for f in findings) == {
        "example_invalid": 298,  # e.g. listBatches' example has null where the schema says integer
        "unknown_format": 144,  # format: unixtime
        "example_unparseable": 22,  # event-stream transcripts, HTML, Python None, empty strings
        "no_examples": 16,
        "default_invalid": 10,
        "default_misplaced": 6,  # `default: null` on the object branch of anyOf [object, null]
        "oneof_overlap": 4,
        "curl_unparseable": 2,
    }
    assert {
        "/components/schemas/ChatCompletionStreamOptions/anyOf/0/default",
        "/components/schemas/TranscriptionInclude/default",
    } <= {f.pointer for f in findings if f.kind.startswith("default_")}
