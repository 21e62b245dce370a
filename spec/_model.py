"""The operation index: frozen values that later stages read, never raw dicts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ._types import JSONPointer, Schema

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass(frozen=True)
class Parameter:
    """A path, query, header or cookie parameter; ``schema`` is normalized."""

    name: str
    location: str  # "path" | "query" | "header" | "cookie"
    required: bool
    schema: Schema
    pointer: JSONPointer  # of the schema, for validators and findings
    deprecated: bool = False


@dataclass(frozen=True)
class MediaType:
    """One content type of a request or response body, with its schema."""

    content_type: str
    schema: Schema | None
    pointer: JSONPointer  # of the schema
    encoding: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RequestBody:
    required: bool
    content: dict[str, MediaType]


@dataclass(frozen=True)
class Response:
    """A documented status (``"200"``, ``"4XX"``, ``"default"``) and its bodies."""

    status: str
    description: str
    content: dict[str, MediaType]
    headers: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class OaiMeta:
    """The ``x-oaiMeta`` block of an operation: its names and its example exchanges."""

    name: str | None
    group: str | None
    path: str | None
    beta: bool
    blocks: tuple[Any, ...]  # ``ExampleBlock``s, read by ``spec._oaimeta`` (the one reader)
    pointer: JSONPointer
    raw: Any = None

    @property
    def examples(self) -> dict[str, str]:
        """The first example request: language -> source ("curl", "python", "node.js")."""
        return next((b.request for b in self.blocks if b.request), {})

    @property
    def parameters(self) -> str | None:
        """The first pseudo-JSON example of a request body (the 1.x documents)."""
        return next((b.parameters for b in self.blocks if b.parameters is not None), None)

    @property
    def response(self) -> str | None:
        """The first pseudo-JSON example response body."""
        return next((b.response for b in self.blocks if b.response is not None), None)


@dataclass(frozen=True)
class Operation:
    """One method and path of the spec."""

    operation_id: str
    method: str  # upper case
    path: str  # the path template, query string (if the key had one) removed
    fixed_query: dict[str, str]  # from path keys like ``/responses?beta=true``
    summary: str
    tags: tuple[str, ...]
    deprecated: bool
    parameters: tuple[Parameter, ...]
    request_body: RequestBody | None
    responses: dict[str, Response]
    meta: OaiMeta | None
    pointer: JSONPointer

    def parameters_in(self, location: str) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if p.location == location)

    @property
    def success_statuses(self) -> tuple[str, ...]:
        return tuple(s for s in self.responses if s.startswith("2"))

    def __str__(self) -> str:
        return f"{self.operation_id} ({self.method} {self.path})"
