"""One real exchange, and what the check catalogue needs of it: the operation, a ``Case``, a ``Response``.

The app records what passed (``Exchange``); here it becomes what a run would have
built had it sent the request itself, so the checks cannot tell the difference.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesParser
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote

from openai_conformance.strategies import Case, FilePart

from ..checks._base import Response
from ..engine._session import Prepared
from ._upstream import HOP_BY_HOP

if TYPE_CHECKING:
    from openai_conformance.spec import Operation, Spec

MAX_NESTING = 128  # deeper JSON is passed through and not checked


@dataclass
class Exchange:
    """What the client sent and what came back, as the proxy saw it (the copy under the caps)."""

    method: str
    path: str  # as the client sent it, percent-encoded
    query: str
    headers: dict[str, str]  # the client's, names lower case, repeated ones joined with ", "
    body: bytes
    upstream_url: str
    status: int | None = None  # None: the upstream gave no answer (``failure`` says why)
    response_headers: dict[str, str] = field(default_factory=dict)
    content: bytes = b""
    events: list[str] | None = None
    stream_error: str | None = None
    over_cap: str | None = None  # the copy was cut or not decodable: its checks would lie
    failure: str | None = None
    elapsed_ms: float = 0.0


@dataclass(frozen=True)
class _Route:
    operation: Operation
    pattern: re.Pattern[str]
    literal: int  # characters outside parameters: the most specific template wins


class OperationIndex:
    """Which operation of the spec a method and path are: templates under the spec's base path."""

    def __init__(self, spec: Spec) -> None:
        self.base_path = spec.base_path
        routes: dict[str, list[_Route]] = {}
        for op in spec.operations:
            parts = re.split(r"\{([^}/]+)\}", op.path)
            regex = "".join(re.escape(p) if i % 2 == 0 else f"(?P<p{i // 2}>[^/]+)" for i, p in enumerate(parts))
            literal = sum(len(p) for p in parts[::2])
            routes.setdefault(op.method, []).append(_Route(op, re.compile(regex + "/?"), literal))
        self._routes = {m: sorted(r, key=lambda route: -route.literal) for m, r in routes.items()}

    def match(self, method: str, path: str) -> tuple[Operation, str, dict[str, str]] | None:
        """(operation, path under the base path, path parameters), or None when none matches."""
        if self.base_path and not (path == self.base_path or path.startswith(self.base_path + "/")):
            return None
        relative = path[len(self.base_path) :] or "/"
        for route in self._routes.get(method, ()):
            found = route.pattern.fullmatch(relative)
            if found:
                names = re.findall(r"\{([^}/]+)\}", route.operation.path)
                values = [unquote(v) for v in found.groups()]
                return route.operation, unquote(relative), dict(zip(names, values, strict=True))
        return None


def too_deep(value: Any, limit: int = MAX_NESTING) -> bool:
    """Whether a parsed JSON value nests deeper than ``limit`` (without recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            if depth > limit:
                return True
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False


def case_of(exchange: Exchange, op: Operation, path: str, parameters: dict[str, str]) -> Case:
    """The ``Case`` a run would have sent to get this exchange (mode ``proxy``)."""
    query = {k: v[0] if len(v) == 1 else v for k, v in parse_qs(exchange.query, keep_blank_values=True).items()}
    content_type = exchange.headers.get("content-type", "")
    media = content_type.split(";")[0].strip().lower() or None
    body: dict[str, Any] = {}
    if exchange.body and media and "json" in media:
        try:
            body["json"] = json.loads(exchange.body)
        except (ValueError, UnicodeDecodeError, RecursionError):
            body["raw_body"] = exchange.body
    elif exchange.body and media == "multipart/form-data":
        body["form"] = form_fields(content_type, exchange.body)
    elif exchange.body:
        body["raw_body"] = exchange.body
    return Case(
        op.operation_id,
        op.method,
        path,
        mode="proxy",
        path_parameters=parameters,
        query=query,
        media_type=media,
        **body,
    )


def form_fields(content_type: str, body: bytes) -> dict[str, Any]:
    """Multipart fields as a ``Case`` holds them: text as str, files as ``FilePart``, repeats as lists."""
    message = BytesParser(policy=policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode("latin-1") + body
    )
    fields: dict[str, Any] = {}
    if not message.is_multipart():
        return fields
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        payload = part.get_payload(decode=True)
        payload = payload if isinstance(payload, bytes) else b""
        filename = part.get_filename()
        value: Any = (
            FilePart(filename, part.get_content_type() if "Content-Type" in part else None, payload)
            if filename is not None
            else payload.decode("utf-8", "replace")
        )
        if name in fields:
            previous = fields[name]
            fields[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            fields[name] = value
    return fields


def response_of(exchange: Exchange) -> Response:
    """The ``Response`` the checks read: status, headers, the decoded copy, the events."""
    assert exchange.status is not None  # noqa: S101 - only answered exchanges are checked
    return Response(
        exchange.status,
        dict(exchange.response_headers),
        exchange.content,
        exchange.elapsed_ms,
        url=exchange.upstream_url,
        events=exchange.events,
        stream_error=exchange.stream_error,
    )


def prepared_of(exchange: Exchange, case: Case) -> Prepared:
    """The request as the reports show it (headers and URL redacted when written)."""
    kind = (
        "none"
        if not exchange.body
        else "json"
        if case.json is not None
        else "multipart"
        if case.form is not None
        else "text"
    )
    # As the upstream got them: the proxy's Host and the client's hop-by-hop headers stayed behind.
    headers = {
        name.title(): value
        for name, value in exchange.headers.items()
        if name.encode() not in HOP_BY_HOP and name not in ("host", "expect")
    }
    return Prepared(exchange.method, exchange.upstream_url, headers, exchange.body or None, kind)
