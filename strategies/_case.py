"""``Case``: one concrete request, ready to send, and what made it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class FilePart:
    """A file part of a multipart body: what curl's ``-F name=@file`` sends.

    ``content_type`` None: the part has no Content-Type header (valid, RFC 7578 section 4.4).
    """

    filename: str
    content_type: str | None
    content: bytes


@dataclass(frozen=True)
class NegativeRule:
    """The one rule a negative case breaks: its name and where in the request."""

    name: str  # "required", "type", "minimum", "maximum", "enum", "minLength", ...
    pointer: str  # JSON pointer into the request body (or "/query/x", "/path/x", "/headers/x")
    detail: str = ""  # one line: what was done ("removed required 'model'")


@dataclass(frozen=True)
class Case:
    """One request of one operation; ``mode`` is ``positive``, ``negative:<rule>``,
    ``example`` or ``stateful:<workflow>``; ``seed`` reproduces it."""

    operation_id: str
    method: str  # upper case
    path: str  # path template filled in, without the spec's base path: "/files/file-abc"
    mode: str = "positive"
    path_parameters: dict[str, str] = field(default_factory=dict)
    query: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    media_type: str | None = None  # "application/json", "multipart/form-data", ...
    json: Any = None  # the JSON body, when media_type is JSON (checks read it)
    form: dict[str, Any] | None = None  # multipart fields: str, FilePart, or a list of them (repeated parts)
    raw_body: bytes | None = None  # a body sent as-is (negative: not JSON, wrong type)
    rule: NegativeRule | None = None
    seed: int | None = None

    @property
    def is_negative(self) -> bool:
        return self.mode.startswith("negative")

    @property
    def streams(self) -> bool:
        """Whether the request asks for server-sent events."""
        body_stream = isinstance(self.json, dict) and self.json.get("stream") is True
        return body_stream or str(self.query.get("stream", "")).lower() == "true"
