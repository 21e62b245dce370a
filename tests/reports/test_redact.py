"""The reports' last guard against secrets: keys never survive into rendered text."""

from __future__ import annotations

import pytest

from openai_conformance.reports._redact import scrub

KEY = "sk-proj-abcdefghijklmnop1234"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (f"curl -H 'Authorization: Bearer {KEY}'", "curl -H 'Authorization: Bearer [REDACTED]'"),
        ("Bearer abcdef123456", "Bearer [REDACTED]"),
        ("Bearer [REDACTED]", "Bearer [REDACTED]"),
        (f"key {KEY} in a body", "key [REDACTED] in a body"),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, {"Authorization": "Basic [REDACTED]"}),
        ({"api-key": "plain-azure-key"}, {"api-key": "[REDACTED]"}),
        ({"x": [KEY, 3, None]}, {"x": ["[REDACTED]", 3, None]}),
        ("a short sk-word stays", "a short sk-word stays"),
        ("task-12345678 is an id, not a key", "task-12345678 is an id, not a key"),
    ],
    ids=["curl", "bearer", "already", "sk-key", "basic-header", "azure-header", "nested", "not-a-key", "task-id"],
)
def test_scrub(value, expected):
    assert scrub(value) == expected


@pytest.mark.parametrize("text", ["task-12345678", f"key {KEY}", "Bearer abcdef123456", "sk-short"])
def test_the_reports_and_the_runner_redact_alike(text: str) -> None:
    from openai_conformance.redact import Redactor

    assert scrub(text) == Redactor().text(text)
