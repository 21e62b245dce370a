"""``spec diff`` on real documents, against change lists written by hand, and its CLI."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest

from openai_conformance.cli import main
from openai_conformance.spec import diff_specs, load_spec
from openai_conformance.spec._diff_kinds import KINDS

# openai-1.1.0 -> openai-1.2.0. Found by reading both files: `diff` shows three
# new path items (/chat/completions, /audio/transcriptions, /audio/translations)
# with eight new component schemas used only by them; every other hunk is a
# description, an example, `beta: true` in x-oaiMeta or the YAML anchor
# `model: *model_configuration` turned into the same schema written out.
EXPECTED_1_1_TO_1_2 = [
    ("operation_added", "createChatCompletion", None, "/paths/~1chat~1completions/post"),
    ("operation_added", "createTranscription", None, "/paths/~1audio~1transcriptions/post"),
    ("operation_added", "createTranslation", None, "/paths/~1audio~1translations/post"),
]


def test_1_1_0_to_1_2_0_adds_operations_and_breaks_nothing() -> None:
    diff = diff_specs(load_spec("openai-1.1.0"), load_spec("openai-1.2.0"))
    assert [(c.kind, c.operation_id, c.old_pointer, c.new_pointer) for c in diff.changes] == EXPECTED_1_1_TO_1_2
    assert diff.breaking == []


# openai-1.3.0 -> openai-2.0.0. Found by reading both files, schema by schema
# (descriptions and examples aside):
# - paths /engines, /engines/{engine_id}, /engines/{engine_id}/search, /answers,
#   /classifications are gone (their schemas Engine, ListEnginesResponse,
#   Create{Search,Answer,Classification}{Request,Response} too);
# - CreateCompletionRequest.required gains `prompt`;
# - `model: {type: string}` becomes `oneOf: [{type: string}, {type: string, enum}]`
#   in eight request schemas: the same values under the normalized reading
#   (lint reports the overlapping oneOf), so a change that breaks nobody;
# - CreateCompletionResponse.choices.items gains `required: [text, index,
#   logprobs, finish_reason]`, and its finish_reason, CreateEditResponse's and
#   CreateChatCompletionResponse's gain an `enum` (a server sending another
#   value is now wrong);
# - ChatCompletionResponseMessage.content gains `nullable: true` (a client
#   that expects a string may now get null).
# The new CreateChatCompletionStreamResponse is used by no operation.
C, S, CS, NONE = (True, False), (False, True), (True, True), (False, False)
EXPECTED_1_3_TO_2_0 = [
    ("operation_removed", "listEngines", "GET /engines removed", C),
    ("operation_removed", "retrieveEngine", "GET /engines/{engine_id} removed", C),
    ("operation_removed", "createSearch", "POST /engines/{engine_id}/search removed", C),
    ("operation_removed", "createAnswer", "POST /answers removed", C),
    ("operation_removed", "createClassification", "POST /classifications removed", C),
    (
        "request_type_alternatives_added",
        "createChatCompletion",
        "request body property model: string -> one of 2 schemas, accepting the same values",
        NONE,
    ),
    (
        "response_nullable_added",
        "createChatCompletion",
        "response 200 property choices[].message.content: now nullable",
        C,
    ),
    (
        "response_enum_added",
        "createChatCompletion",
        "response 200 property choices[].finish_reason: now one of 'stop', 'length', 'function_call'",
        S,
    ),
    (
        "request_type_alternatives_added",
        "createCompletion",
        "request body property model: string -> one of 2 schemas, accepting the same values",
        NONE,
    ),
    ("request_property_made_required", "createCompletion", "request body property prompt: made required", C),
    ("response_property_made_required", "createCompletion", "response 200 property choices[].text: made required", S),
    ("response_property_made_required", "createCompletion", "response 200 property choices[].index: made required", S),
    (
        "response_property_made_required",
        "createCompletion",
        "response 200 property choices[].logprobs: made required",
        S,
    ),
    (
        "response_property_made_required",
        "createCompletion",
        "response 200 property choices[].finish_reason: made required",
        S,
    ),
    (
        "response_enum_added",
        "createCompletion",
        "response 200 property choices[].finish_reason: now one of 'stop', 'length'",
        S,
    ),
    (
        "request_type_alternatives_added",
        "createEdit",
        "request body property model: string -> one of 2 schemas, accepting the same values",
        NONE,
    ),
    (
        "response_enum_added",
        "createEdit",
        "response 200 property choices[].finish_reason: now one of 'stop', 'length'",
        S,
    ),
    (
        "request_type_alternatives_added",
        "createEmbedding",
        "request body property model: string -> one of 2 schemas, accepting the same values",
        NONE,
    ),
    (
        "request_type_alternatives_added",
        "createTranscription",
        "request body property model: string -> one of 2 schemas, accepting the same values",
        NONE,
    ),
    (
        "request_type_alternatives_added",
        "createTranslation",
        "request body property model: string -> one of 2 schemas, accepting the same values",
        NONE,
    ),
    (
        "request_type_alternatives_added",
        "createFineTune",
        "request body property model: string -> one of 2 schemas, accepting the same values",
        NONE,
    ),
    (
        "request_type_alternatives_added",
        "createModeration",
        "request body property model: string -> one of 2 schemas, accepting the same values",
        NONE,
    ),
]


def test_1_3_0_to_2_0_0_breaks_clients_and_servers() -> None:
    diff = diff_specs(load_spec("openai-1.3.0"), load_spec("openai-2.0.0"))
    got = [(c.kind, c.operation_id, c.message, (c.breaking_for_client, c.breaking_for_server)) for c in diff.changes]
    assert got == EXPECTED_1_3_TO_2_0
    made_required = next(c for c in diff.changes if c.kind == "request_property_made_required")
    assert (
        made_required.old_pointer
        == made_required.new_pointer
        == ("/components/schemas/CreateCompletionRequest/properties/prompt")
    )
    removed = next(c for c in diff.changes if c.operation_id == "createAnswer")
    assert (removed.old_pointer, removed.new_pointer) == ("/paths/~1answers/post", None)


def test_every_kind_has_a_verdict_and_changes_use_known_kinds() -> None:
    diff = diff_specs(load_spec("openai-2.0.0"), load_spec("openai-2.3.0-2026-08-21"))
    assert {c.kind for c in diff.changes} <= set(KINDS)
    assert all(KINDS[c.kind] == (c.breaking_for_client, c.breaking_for_server) for c in diff.changes)
    # the 2.3.0 document writes null as anyOf [..., {type: null}]: not a change by itself
    assert not [c for c in diff.changes if "nullable" in c.kind and c.operation_id == "createEmbedding"]


def test_reversed_diff_mirrors_operations() -> None:
    forward = diff_specs(load_spec("openai-1.1.0"), load_spec("openai-1.2.0"))
    backward = diff_specs(load_spec("openai-1.2.0"), load_spec("openai-1.1.0"))
    assert [c.kind for c in backward.changes] == ["operation_removed"] * 3
    assert [c.new_pointer for c in forward.changes] == [c.old_pointer for c in backward.changes]


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["openai-1.1.0", "openai-1.2.0"], 0),
        (["openai-1.3.0", "openai-2.0.0"], 1),
        (["openai-1.3.0", "openai-2.0.0", "--fail-on", "none"], 0),
        (["openai-1.3.0", "openai-2.0.0", "--fail-on", "server"], 1),
        (["openai-1.2.0", "openai-1.1.0", "--fail-on", "server"], 0),  # only removals: clients break
        (["openai-1.2.0", "openai-1.1.0", "--fail-on", "client"], 1),
    ],
)
def test_cli_diff_exit_codes(args, code, capsys) -> None:
    assert main(["spec", "diff", *args]) == code
    assert capsys.readouterr().out.strip()


def test_cli_diff_formats(capsys) -> None:
    main(["spec", "diff", "openai-1.3.0", "openai-2.0.0", "--format", "json"])
    document = json.loads(capsys.readouterr().out)
    assert document["summary"] == {"changes": 22, "breaking_for_client": 7, "breaking_for_server": 7}
    assert set(document["changes"][0]) == {
        "kind",
        "operation_id",
        "old_pointer",
        "new_pointer",
        "message",
        "breaking_for_client",
        "breaking_for_server",
    }
    main(["spec", "diff", "openai-1.3.0", "openai-2.0.0", "--format", "markdown"])
    markdown = capsys.readouterr().out
    assert sum(1 for line in markdown.splitlines() if line.startswith("| `")) == 22
    main(["spec", "diff", "openai-1.3.0", "openai-2.0.0", "--format", "text"])
    text = capsys.readouterr().out
    assert "BREAKING for client" in text and text.rstrip().endswith("7 breaking for servers")


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.rows = 0
        self.external = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "link", "img") or any(k in ("src", "href") for k, _ in attrs):
            self.external.append(tag)
        if tag == "tr":
            self.rows += 1
        if tag not in ("meta", "br"):
            self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack.pop() == tag


def test_cli_diff_html_is_one_self_contained_page(capsys) -> None:
    main(["spec", "diff", "openai-1.3.0", "openai-2.0.0", "--format", "html"])
    page = capsys.readouterr().out
    parser = _Tags()
    parser.feed(page)
    assert parser.stack == [] and parser.external == []
    assert parser.rows == 23  # header + one per change
    assert "request body property prompt: made required" in page


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["openai-1.1.0", "/nonexistent.yaml"], "not found"),
        (["openai-1.1.0"], "usage error"),
        (["openai-1.1.0", "openai-1.2.0", "--format", "pdf"], "usage error"),
    ],
)
def test_cli_diff_bad_input(args, fragment, capsys) -> None:
    assert main(["spec", "diff", *args]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and fragment in err
