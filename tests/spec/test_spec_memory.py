"""What keeps a run's memory bounded: the compiled validators kept are the recent ones,
and the fast registry shares the document instead of copying it."""

from __future__ import annotations

import datetime

from openai_conformance.spec import load_spec
from openai_conformance.spec._recent import Recent
from openai_conformance.spec._spec import _as_json


def test_recent_keeps_the_most_recently_used() -> None:
    built: list[str] = []
    memo: Recent[str, str] = Recent(2)

    def build(key: str) -> str:
        built.append(key)
        return key.upper()

    assert [memo.get(k, lambda k=k: build(k)) for k in "aab"] == ["A", "A", "B"]
    memo.get("a", lambda: build("a"))  # a is now the most recent
    memo.get("c", lambda: build("c"))  # so b goes
    assert len(memo) == 2
    memo.get("a", lambda: build("a"))
    memo.get("b", lambda: build("b"))
    assert built == ["a", "b", "c", "b"]


def test_validation_is_right_after_validators_were_dropped() -> None:
    spec = load_spec("openai-1.1.0")
    spec._fast_validators = Recent(5)
    pointers = [
        m.pointer
        for op in spec.operations
        for r in op.responses.values()
        for m in r.content.values()
        if m.schema is not None
    ]
    assert len(pointers) > spec._fast_validators.size  # the first ones are dropped on the way
    first = [spec.is_valid(p, {}) for p in pointers]
    assert len(spec._fast_validators) == spec._fast_validators.size
    assert [spec.is_valid(p, {}) for p in pointers] == first
    assert first == [spec.validator(p).is_valid({}) for p in pointers]


def test_as_json_converts_only_what_json_would_and_shares_the_rest() -> None:
    untouched = {"type": "object", "properties": {"n": {"type": "integer", "enum": [1, 2]}}}
    document = {"a": untouched, "when": {"example": datetime.date(2024, 1, 2)}, "codes": {200: "ok"}}
    out = _as_json(document)
    assert out == {"a": untouched, "when": {"example": "2024-01-02"}, "codes": {"200": "ok"}}
    assert out["a"] is untouched
    assert _as_json(untouched) is untouched
    assert document["when"]["example"] == datetime.date(2024, 1, 2)  # the document is not changed
