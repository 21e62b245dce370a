"""The jsonschema-rs fast path and ``jsonschema`` agree on every answer."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openai_conformance.spec import load_spec

SEED = load_spec("openai-1.1.0")
POINTERS = sorted(
    {m.pointer for op in SEED.operations for r in op.responses.values() for m in r.content.values() if m.pointer}
    | {m.pointer for op in SEED.operations if op.request_body for m in op.request_body.content.values() if m.pointer}
)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(["id", "object", "data", "choices", "model", "text", "index", "created"]), inner, max_size=4
        )
    ),
    max_leaves=12,
)


@pytest.mark.parametrize("pointer", POINTERS)
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(value=JSON)
def test_fast_path_agrees_with_jsonschema(pointer: str, value: object) -> None:
    assert SEED.is_valid(pointer, value) == SEED.validator(pointer).is_valid(value)


def test_fast_path_accepts_a_real_response_and_rejects_a_broken_one() -> None:
    op = SEED.operation("createEmbedding")
    pointer = op.responses["200"].content["application/json"].pointer
    good = {
        "object": "list",
        "model": "m",
        "data": [{"object": "embedding", "index": 0, "embedding": [0.5] * 1536}],
        "usage": {"prompt_tokens": 1, "total_tokens": 1},
    }
    assert SEED.is_valid(pointer, good)
    assert not SEED.is_valid(pointer, {**good, "data": [{"object": "embedding", "index": "0", "embedding": []}]})
