"""The x-oaiMeta pseudo-JSON parser, and the example-shape comparison."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openai_conformance.spec import load_spec
from openai_conformance.spec._examples import ELIDED, example_to_json, parse_example
from openai_conformance.spec._oaimeta import operation_examples
from openai_conformance.spec._shape import ShapeDifference, example_shape_differences

# Every operation of the seed: (response example, parameters example), each
# "absent", "unparseable" or the number of elisions found when parsed. Counted
# by reading the document: e.g. listFineTunes elides `hyperparams: { ... }`,
# `training_files: [ { ... } ]` and two whole items `{ ... }`; listModels has
# `permission: [...]` in each of its three items; createEmbedding has
# `.... (1056 floats total for ada)`. None of the seed's examples is unparseable.
SEED_EXAMPLES = {
    "listEngines": (0, "absent"),
    "retrieveEngine": (0, "absent"),
    "createCompletion": (0, 0),
    "createEdit": (0, 0),  # both with trailing commas
    "createImage": (0, 0),
    "createImageEdit": (0, "absent"),
    "createImageVariation": (0, "absent"),
    "createEmbedding": (1, 0),
    "createSearch": (0, 0),
    "listFiles": (0, "absent"),
    "createFile": (0, "absent"),
    "retrieveFile": (0, "absent"),
    "deleteFile": (0, "absent"),
    "downloadFile": ("absent", "absent"),  # the body is a file, not JSON
    "createAnswer": (0, 0),
    "createClassification": (0, 0),
    "listFineTunes": (4, "absent"),
    "createFineTune": (0, "absent"),
    "retrieveFineTune": (0, "absent"),
    "cancelFineTune": (2, "absent"),
    "listFineTuneEvents": (0, "absent"),
    "listModels": (3, "absent"),
    "retrieveModel": (1, "absent"),
    "deleteModel": (0, "absent"),
    "createModeration": (0, 0),
}


def _state(op, kind):
    found = operation_examples(op, kind)
    if not found:
        return "absent"
    assert len(found) == 1
    parsed = parse_example(found[0].text)
    return parsed.elisions if parsed.ok else "unparseable"


def test_every_seed_example_is_parsed_or_reported() -> None:
    spec = load_spec("openai-1.1.0")
    assert {op.operation_id for op in spec.operations} == set(SEED_EXAMPLES)
    got = {op.operation_id: (_state(op, "response"), _state(op, "parameters")) for op in spec.operations}
    assert got == SEED_EXAMPLES


def test_seed_elisions_become_wildcards_where_they_stood() -> None:
    spec = load_spec("openai-1.1.0")
    embedding = parse_example(operation_examples(spec.operation("createEmbedding"), "response")[0].text)
    assert embedding.value["data"][0]["embedding"] == [0.0023064255, -0.009327292, ELIDED, -0.0028842222]
    fine_tunes = parse_example(operation_examples(spec.operation("listFineTunes"), "response")[0].text)
    first, second, _ = fine_tunes.value["data"]
    assert first["hyperparams"] == {ELIDED: ELIDED}
    assert first["training_files"] == [{ELIDED: ELIDED}]
    assert second == {ELIDED: ELIDED}


@pytest.mark.parametrize(
    ("text", "value", "elisions"),
    [
        ('{"a": 1, "b": [1, 2,],}', {"a": 1, "b": [1, 2]}, 0),
        ("[1, ...]", [1, ELIDED], 1),
        ("[...]", [ELIDED], 1),
        ("{ ... }", {ELIDED: ELIDED}, 1),
        ('{"a": ...}', {"a": ELIDED}, 1),
        ('{"a": 1, …}', {"a": 1, ELIDED: ELIDED}, 1),
        ("[0.5,\n .... (1056 floats total)\n -0.25,\n]", [0.5, ELIDED, -0.25], 1),
        ('{\n  // a comment\n  "a": /* inline */ true # shell style\n}', {"a": True}, 0),
        ('"line\\nbreak \\u00e9"', "line\nbreak é", 0),
        ("-1.5e3", -1500.0, 0),
        ("null", None, 0),
    ],
    ids=[
        "trailing-commas",
        "list-elision",
        "bracket-elision",
        "brace-elision",
        "value-elision",
        "unicode-ellipsis",
        "counted-elision-without-comma",
        "comments",
        "escapes",
        "number",
        "null",
    ],
)
def test_pseudo_json(text, value, elisions) -> None:
    parsed = parse_example(text)
    assert parsed.error is None
    assert parsed.value == value
    assert parsed.elisions == elisions


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('{"a": 1 "b": 2}', "line 1, column 9"),
        ("{\n  id: 1\n}", "line 2, column 3"),
        ("[1, 2", "line 1, column 6"),
        ("event: x\ndata: {}", "line 1, column 1"),
        ("{} {}", "line 1, column 4"),
        ('{"a": None}', "line 1, column 7"),
        ("", "line 1, column 1"),
    ],
    ids=["missing-comma", "bare-key", "unclosed", "sse-stream", "two-values", "python-none", "empty"],
)
def test_unparseable_text_is_reported_with_its_position(text, where) -> None:
    parsed = parse_example(text)
    assert parsed.value is None
    assert parsed.error is not None and parsed.error.startswith(where + ":")
    assert "\n" not in parsed.error


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(json_values, st.sampled_from([None, 2]))
def test_strict_json_reads_back_unchanged(value, indent) -> None:
    parsed = parse_example(json.dumps(value, indent=indent))
    assert parsed.ok and parsed.elisions == 0
    assert parsed.value == value


def test_example_to_json_writes_elisions_back() -> None:
    value = parse_example('{"a": [1, ...], "b": {...}, "c": ...}').value
    assert example_to_json(value) == {"a": [1, "..."], "b": {"...": "..."}, "c": "..."}
    json.dumps(example_to_json(value))


@pytest.mark.parametrize(
    ("example", "actual", "differences"),
    [
        ({"created": 1}, {}, [("/created", "integer", "missing")]),
        ({"a": 1}, {"a": 1, "extra": "x"}, []),
        ({"a": 1}, {"a": 2.0}, []),
        ({"a": 1}, {"a": 2.5}, [("/a", "integer", "number")]),
        ({"a": 1.5}, {"a": 2}, []),
        ({"a": True}, {"a": 1}, [("/a", "boolean", "integer")]),
        ({"a": None}, {"a": {"x": 1}}, []),
        ({"a": "s"}, {"a": None}, [("/a", "string", "null")]),
        ({"a": ELIDED}, {"a": [1]}, []),
        ({"a": ELIDED}, {}, [("/a", "any", "missing")]),
        ({"a": 1, ELIDED: ELIDED}, {"a": 1}, []),
        ([{"id": "x"}, ELIDED], [{"id": "a"}, {"id": "b"}, {}], [("/2/id", "string", "missing")]),
        ([1, "x"], [1, "y", 3], []),
        ([1, "x"], ["a"], [("/0", "integer", "string")]),
        ([{"id": "x"}], [], []),
        ({"a/b": {"c": 1}}, {"a/b": {"c": "1"}}, [("/a~1b/c", "integer", "string")]),
        ({"a": [1]}, {"a": {}}, [("/a", "array", "object")]),
    ],
)
def test_example_shape_differences(example, actual, differences) -> None:
    got = example_shape_differences(example, actual)
    assert got == [ShapeDifference(*d) for d in differences]


def test_seed_examples_match_their_own_shape() -> None:
    spec = load_spec("openai-1.1.0")
    for op in spec.operations:
        for example in operation_examples(op, "response"):
            value = parse_example(example.text).value
            concrete = json.loads(json.dumps(example_to_json(value)))
            # An example compared with itself (elisions written as "...") differs
            # only where an elided list item stood in for numbers.
            diffs = example_shape_differences(value, concrete)
            assert all(d.got == "string" for d in diffs), (op.operation_id, diffs)
