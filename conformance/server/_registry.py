"""The handler registry: operation id -> the coroutine that answers it.

Handlers receive a ``Call`` (the parsed, validated request and the server's
state) and return JSON-able data (answered 200) or a Starlette ``Response``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from starlette.requests import Request

    from openai_conformance.spec import Operation, Spec

    from ._store import Store


@dataclass(frozen=True)
class Call:
    """One request as a handler sees it."""

    spec: Spec
    operation: Operation
    request: Request
    body: Any  # the JSON body, or the multipart form (file parts as ``Upload``)
    path: dict[str, str]
    query: dict[str, Any]
    store: Store
    faults: frozenset[str]

    def has(self, fault: str) -> bool:
        return fault in self.faults

    def with_body(self, body: Any) -> Call:
        return replace(self, body=body, query={})

    def url(self, path: str) -> str:
        """An absolute URL on this server for ``path`` under the spec's base path."""
        return str(self.request.base_url).rstrip("/") + self.spec.base_path + path


Handler = Callable[[Call], Awaitable[Any]]
Fallback = Callable[["Store"], Any]


@dataclass(frozen=True)
class Endpoint:
    """A handler, and the body it answers instead when the ``no_validation`` fault
    accepts an invalid request (a minimal valid request of the operation)."""

    handler: Handler
    fallback: Fallback


class Registry:
    """Handlers of one routes module, by operation id; duplicates are refused."""

    def __init__(self) -> None:
        self.endpoints: dict[str, Endpoint] = {}

    def handles(self, operation_id: str, *, fallback: Fallback | Any = None) -> Callable[[Handler], Handler]:
        """Register the decorated coroutine as the handler of ``operation_id``.

        ``fallback`` is a minimal valid body (or a function of the store giving one).
        """

        def register(handler: Handler) -> Handler:
            if operation_id in self.endpoints:
                raise ValueError(f"operation_id={operation_id!r} already has a handler")
            make = fallback if callable(fallback) else (lambda _store: fallback)
            self.endpoints[operation_id] = Endpoint(handler, make)
            return handler

        return register


def merge(*registries: Registry) -> dict[str, Endpoint]:
    """One table of every handler, refusing an operation handled twice."""
    table: dict[str, Endpoint] = {}
    for registry in registries:
        twice = table.keys() & registry.endpoints.keys()
        if twice:
            raise ValueError(f"operations handled twice: {sorted(twice)}")
        table.update(registry.endpoints)
    return table
