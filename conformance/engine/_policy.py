"""What the runner may send and how it reads what came back: pure decisions, no I/O.

Loopback or not (budget defaults), destructive or not, over a budget cap or not,
a missing route or a missing object.
"""

from __future__ import annotations

import ipaddress
import zlib
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

if TYPE_CHECKING:
    from openai_conformance.spec import Operation
    from openai_conformance.strategies import Caps, Case

    from ..checks._base import Response


MODES = ("positive", "negative", "examples", "stateful")


def is_loopback(base_url: str) -> bool:
    host = urlparse(base_url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# Path words of calls that destroy, revoke or act on other people: the run makes them
# only on what it created itself (or with --allow-destructive).
DESTRUCTIVE_WORDS = frozenset({"cancel", "archive", "deactivate", "revoke", "invites", "users", "roles"})
# Writes under these prefixes change an account, not an object of the run.
ADMIN_PREFIXES = ("/organization",)


def is_destructive(operation: Operation) -> bool:
    """A delete, a cancel and the like, or any write to the account's administration."""
    if operation.method == "DELETE":
        return True
    if operation.method in ("POST", "PUT", "PATCH") and operation.path.startswith(ADMIN_PREFIXES):
        return True
    words = {w for w in operation.path.strip("/").split("/") if not w.startswith("{")}
    return operation.method != "GET" and bool(words & DESTRUCTIVE_WORDS)


def state_actions(operations: Iterable[Operation]) -> frozenset[str]:
    """The POSTs that move an object along: ``/fine_tuning/jobs/{id}/pause`` answers the
    job itself, as its GET does (a search or a sub-collection's create answers another kind).

    Whether the object is in a state that allows it is the server's call: a refusal
    is no verdict on the request.
    """
    ops = list(operations)
    answers = {(op.method, op.path): _answer_schema(op) for op in ops}
    found = set()
    for op in ops:
        head, _, last = op.path.rstrip("/").rpartition("/")
        if op.method != "POST" or last.startswith("{") or not head.endswith("}"):
            continue
        own = answers[op.method, op.path]
        if own is not None and own == answers.get(("GET", head)):
            found.add(op.operation_id)
    return frozenset(found)


def _answer_schema(op: Operation) -> str | None:
    """The ``$ref`` of the 200's JSON body, the name of the kind of object it answers."""
    response = op.responses.get("200")
    media = next((m for ct, m in response.content.items() if "json" in ct), None) if response else None
    schema = media.schema if media is not None else None
    return schema.get("$ref") if isinstance(schema, dict) else None


def _error_param(response: Response) -> Any:
    """The ``param`` an OpenAI error envelope names, if any."""
    error = response.json.get("error") if isinstance(response.json, dict) else None
    return error.get("param") if isinstance(error, dict) else None


def refused_as_invalid(case: Case, response: Response) -> bool:
    """A 400 or 422 that calls the request itself invalid, not an object it names.

    "File file-x has purpose 'fine-tune'" (``param: input_file_id``) refuses what the id
    points to: which objects a target holds is no verdict on the request's shape. An
    uploaded part (createFile's ``file``) is the request's own content, not a reference.
    """
    if response.status not in (400, 422):
        return False
    param = _error_param(response)
    if not isinstance(param, str):
        return True
    sent = (case.json if isinstance(case.json, dict) else case.form or {}).get(param)
    names_an_id = param.endswith(("_id", "_file")) or (param == "file" and isinstance(sent, str))
    return not names_an_id


def route_missing(case: Case, response: Response) -> bool:
    """A 404/405 for the route itself, not for an object a parameter named.

    OpenAI names the parameter of an object it cannot find (``"param": "id"``);
    a bare 404 to a valid request is a route the target does not serve.
    """
    return response.status in (404, 405) and not _error_param(response)


def exceeded_cap(caps: Caps, case: Case) -> str | None:
    """The name of the first capped property the case asks more of than ``caps`` allow."""
    body = case.json if isinstance(case.json, dict) else case.form or {}
    for name, limits in caps.limits(case.path).items():
        value = body.get(name)
        for how, limit in limits:
            if how == "maximum" and _number(value) is not None and _number(value) > limit:
                return name
            if how == "maxItems" and isinstance(value, list):
                count = 1 if value and all(isinstance(v, int) for v in value) else len(value)
                if count > limit:
                    return name
            if how == "size" and isinstance(value, str) and _area(value) > _area(limit):
                return name
    return None


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value
    try:
        return float(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _area(size: str) -> int:
    width, _, height = size.partition("x")
    return int(width) * int(height) if width.isdigit() and height.isdigit() else 0


def hash_text(text: str) -> int:
    """A stable hash (Python's ``hash`` of a string changes between processes)."""
    return zlib.crc32(text.encode())
