"""The one JSON-pointer and ``$ref`` reader every stage uses (``spec``'s public face)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openai_conformance.spec import escape_token, join_pointer, lookup_pointer, type_set
from openai_conformance.spec._refs import follow_refs


@given(st.lists(st.text(alphabet="ab~/01", max_size=6), min_size=1, max_size=4))
def test_a_pointer_joined_from_any_keys_finds_them_again(keys: list[str]) -> None:
    document: dict = {}
    node = document
    for key in keys[:-1]:
        node = node.setdefault(key, {})
    node[keys[-1]] = "here"
    assert lookup_pointer(document, join_pointer("", *keys)) == "here"


def test_tokens_escape_tilde_before_slash() -> None:
    assert escape_token("a/~b") == "a~1~0b"  # "~1" read back is "/", never "~" then "1"
    assert lookup_pointer({"~1": {"/": 2}}, "/~01/~1") == 2


DOCUMENT = {
    "components": {
        "schemas": {
            "A": {"$ref": "#/components/schemas/B", "description": "an A"},
            "B": {"$ref": "#/components/schemas/C"},
            "C": {"type": "string"},
            "Loop": {"$ref": "#/components/schemas/Loop"},
            "Broken": {"$ref": "#/components/schemas/Nowhere"},
            "Remote": {"$ref": "other.yaml#/X"},
        }
    }
}


def test_a_ref_chain_ends_at_its_schema_with_the_siblings_met_on_the_way() -> None:
    node, pointer, siblings = follow_refs(DOCUMENT, {"$ref": "#/components/schemas/A"})
    assert (node, pointer, siblings) == ({"type": "string"}, "/components/schemas/C", {"description": "an A"})


def test_a_ref_with_siblings_is_kept_whole_when_asked() -> None:
    a = DOCUMENT["components"]["schemas"]["A"]
    assert follow_refs(DOCUMENT, a, "/components/schemas/A", with_siblings=False)[:2] == (a, "/components/schemas/A")


@pytest.mark.parametrize("name", ["Loop", "Broken", "Remote"])
def test_a_ref_that_cannot_be_followed_stops_the_chain_without_raising(name: str) -> None:
    node, _, _ = follow_refs(DOCUMENT, {"$ref": f"#/components/schemas/{name}"})
    assert node == DOCUMENT["components"]["schemas"][name]


@pytest.mark.parametrize(
    ("schema", "types"),
    [
        ({"type": "string"}, {"string"}),
        ({"type": ["string", "null"]}, {"string", "null"}),
        ({}, set()),
        ({"type": 5}, set()),
        ({"type": ["x", 5]}, {"x"}),
        ("not a schema", set()),
    ],
)
def test_the_type_keyword_reads_as_a_set(schema: object, types: set[str]) -> None:
    assert type_set(schema) == types
