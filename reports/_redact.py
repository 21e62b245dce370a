"""A last guard against secrets: scrub bearer tokens and API keys from anything rendered.

The runner already redacts; reports repeat it with the same redactor, because a
leaked key in a CI artefact is the one mistake a report must never make.
"""

from __future__ import annotations

from typing import Any

from openai_conformance.redact import REDACTED, Redactor

__all__ = ["REDACTED", "scrub", "scrub_text"]

_ANY_KEY = Redactor()
scrub_text = _ANY_KEY.text


def scrub(value: Any) -> Any:
    """Copy of ``value`` with secrets replaced; secret-bearing header values are replaced whole."""
    return _ANY_KEY.value(value)
