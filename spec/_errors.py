"""The one exception of ``spec/``: the suite or the document is wrong.

    SpecError
      kind: SpecErrorKind  (NOT_FOUND, FETCH, PARSE, NOT_OPENAPI, DANGLING_REF, UNKNOWN_OPERATION,
                             TOO_LARGE, REF_FORBIDDEN, UNUSABLE)

It never says anything about a target: that is ``conformance``'s business.
"""

from __future__ import annotations

import enum


class SpecErrorKind(enum.Enum):
    NOT_FOUND = "not found"
    FETCH = "cannot fetch"
    PARSE = "cannot parse"
    NOT_OPENAPI = "not an OpenAPI 3.x document"
    DANGLING_REF = "dangling $ref"
    UNKNOWN_OPERATION = "unknown operation"
    TOO_LARGE = "too large"
    REF_FORBIDDEN = "$ref not allowed"
    UNUSABLE = "unusable schema"


class SpecError(Exception):
    """A document that cannot be used; the message is one line, fit for a user."""

    def __init__(self, kind: SpecErrorKind, message: str, *, pointer: str | None = None) -> None:
        self.kind = kind
        self.pointer = pointer
        super().__init__(message)

    def __str__(self) -> str:
        return f"{self.kind.value}: {self.args[0]}"
