"""A last guard against secrets: scrub bearer tokens and API keys from anything rendered.

The runner already redacts; reports repeat it because a leaked key in a CI
artefact is the one mistake a report must never make.
"""

from __future__ import annotations

import re
from typing import Any

from conformance._redact import SENSITIVE_HEADERS

REDACTED = "[REDACTED]"

_PATTERNS = (
    # "Bearer <token>" anywhere (headers, curl lines), unless already redacted.
    (re.compile(r"(?i)(bearer\s+)(?!\[REDACTED\])[A-Za-z0-9._~+/=-]{6,}"), r"\1" + REDACTED),
    # OpenAI-style keys ("sk-...", "sk-proj-...") wherever they appear.
    (re.compile(r"\bsk-[A-Za-z0-9_-]{8,}"), REDACTED),
)
_SECRET_HEADERS = SENSITIVE_HEADERS  # one list with the runner's


def scrub_text(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def scrub(value: Any) -> Any:
    """Copy of ``value`` with secrets replaced; secret-bearing header values are replaced whole."""
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, list):
        return [scrub(v) for v in value]
    if isinstance(value, dict):
        return {
            k: (_scrub_header(v) if isinstance(k, str) and k.lower() in _SECRET_HEADERS else scrub(v))
            for k, v in value.items()
        }
    return value


def _scrub_header(value: Any) -> Any:
    if not isinstance(value, str) or REDACTED in value:
        return value
    scheme, _, rest = value.partition(" ")
    return f"{scheme} {REDACTED}" if rest else REDACTED
