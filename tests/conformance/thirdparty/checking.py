"""One request to a third-party-like server, and one check run on what came back."""

from __future__ import annotations

from typing import Any

from stdlib_server import KEY

from openai_conformance.checks import CHECKS, CheckContext
from openai_conformance.engine._session import TargetSession
from openai_conformance.spec import Spec
from openai_conformance.strategies import Case


def check(spec: Spec, url: str, name: str, operation_id: str, path: str, body: dict[str, Any]) -> list[Any]:
    """Send one request to the server at ``url`` and run one check on what came back."""
    session = TargetSession(url, api_key=KEY)
    case = Case(operation_id, "POST", path, media_type="application/json", json=body)
    _, response = session.send(case)
    ctx = CheckContext(spec, spec.operation(operation_id), case, response)
    registered = CHECKS[name]
    assert registered.applies(ctx), f"{name} does not apply to {body}"
    return list(registered.function(ctx))
