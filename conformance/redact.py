"""Secrets out of everything the suite writes: one redactor for the runner and the reports.

A key the user gave is replaced in every form a target might echo it in (as
sent, base64 as in HTTP Basic, URL-encoded); anything shaped like an OpenAI key
or a bearer token is replaced even when nobody named it.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

REDACTED = "[REDACTED]"
# Anything shaped like an OpenAI key, even one we were not told about ("task-1234..." is not).
_KEY_SHAPE = re.compile(r"(?<![A-Za-z0-9])sk-[A-Za-z0-9_\-]{8,}")
# "Bearer <token>" anywhere (headers, curl lines), unless already redacted.
_BEARER = re.compile(r"(?i)(bearer\s+)(?!\[REDACTED\])[A-Za-z0-9._~+/=-]{6,}")
SENSITIVE_HEADERS = frozenset(
    {
        "authorization",
        "proxy-authorization",
        "openai-organization",
        "openai-api-key",
        "x-api-key",
        "api-key",
        "cookie",
        "set-cookie",
    }
)


def echoed_forms(secret: str) -> set[str]:
    """The forms in which a target may send a secret back: as is, base64, URL-encoded."""
    raw = secret.encode()
    forms = {secret, quote(secret, safe=""), base64.b64encode(raw).decode()}
    # base64 of the secret inside a longer value starts at any of three alignments.
    for shift in (1, 2):
        encoded = base64.b64encode(b"\0" * shift + raw).decode()
        forms.add(encoded[4:-4] if len(encoded) > 12 else encoded)
    return {f for f in forms if len(f) >= 4}


class Redactor:
    """Replaces the given secrets (every echoed form) and any key-shaped string."""

    def __init__(self, secrets: Iterable[str | None] = ()) -> None:
        forms = {f for s in secrets if s and len(s) >= 4 for f in echoed_forms(s)}
        self.secrets = sorted(forms, key=len, reverse=True)

    def text(self, value: str) -> str:
        for secret in self.secrets:
            value = value.replace(secret, REDACTED)
        return _BEARER.sub(r"\1" + REDACTED, _KEY_SHAPE.sub(REDACTED, value))

    def value(self, value: Any) -> Any:
        """Any JSON-like value with every string redacted; secret headers replaced whole."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {
                self.text(str(k)): (_redact_header(v) if str(k).lower() in SENSITIVE_HEADERS else self.value(v))
                for k, v in value.items()
            }
        if isinstance(value, list):
            return [self.value(v) for v in value]
        return value

    def headers(self, headers: dict[str, str]) -> dict[str, str]:
        return {k: str(v) for k, v in self.value(dict(headers)).items()}


def _redact_header(value: Any) -> Any:
    if not isinstance(value, str) or REDACTED in value:
        return value
    scheme, _, rest = value.partition(" ")
    return f"{scheme} {REDACTED}" if rest else REDACTED
