"""Secrets out of everything the suite writes: keys are replaced before recording."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

REDACTED = "[REDACTED]"
# Anything shaped like an OpenAI key, even one we were not told about.
_KEY_SHAPE = re.compile(r"sk-[A-Za-z0-9_\-]{8,}")
SENSITIVE_HEADERS = frozenset({
    "authorization", "proxy-authorization", "openai-organization", "openai-api-key", "x-api-key",
    "api-key", "cookie", "set-cookie",
})  # fmt: skip


class Redactor:
    """Replaces the given secrets (and any ``sk-...`` key) in text, headers and URLs."""

    def __init__(self, secrets: Iterable[str | None] = ()) -> None:
        self.secrets = sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True)

    def text(self, value: str) -> str:
        for secret in self.secrets:
            value = value.replace(secret, REDACTED)
        return _KEY_SHAPE.sub(REDACTED, value)

    def value(self, value: Any) -> Any:
        """Any JSON-like value with every string redacted (a response body kept in a finding)."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {self.text(str(k)): self.value(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.value(v) for v in value]
        return value

    def headers(self, headers: dict[str, str]) -> dict[str, str]:
        return {
            k: (_redact_header(v) if k.lower() in SENSITIVE_HEADERS else self.text(str(v)))
            for k, v in headers.items()
        }


def _redact_header(value: str) -> str:
    scheme, _, rest = str(value).partition(" ")
    return f"{scheme} {REDACTED}" if rest else REDACTED
