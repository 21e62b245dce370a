"""Which refusals of a valid request are the target's bugs: each a warning, grouped by the property it names.

The API itself refuses some requests its schema allows: a model it does not serve, a prompt past
the context length, a rule between properties (``strategies.related_names``), a rule that depends
on the model asked. Those are no bug of the target; any other 400 or 422 to a positive case is.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from openai_conformance.strategies import related_names

from ._policy import refused_as_invalid
from ._results import Failure

if TYPE_CHECKING:
    from openai_conformance.strategies import Case

    from ._checks_base import Response

CHECK = "valid_accepted"
# Error codes the API gives valid requests by its own rules.
API_CODES = frozenset({"model_not_found", "context_length_exceeded"})
# Which models a target serves, and for what, is its choice: a refusal naming the model is no bug.
API_PARAMS = frozenset({"model"})
_MODEL_RULE = re.compile(r"\bmodels?\b", re.IGNORECASE)  # "not supported with this model", "for gpt-image models"
_SEGMENT = re.compile(r"\[(\d+)\]|\.")


def refusal(case: Case, response: Response) -> Failure | None:
    """The warning a 400 or 422 to a positive case is; None when it is not one, or the API's own rule.

    Example cases are left out: a spec's example is not always valid against its own schema.
    """
    if case.mode != "positive" or not refused_as_invalid(case, response):
        return None
    error = response.json.get("error") if isinstance(response.json, dict) else None
    error = error if isinstance(error, dict) else {}
    code, param, message = error.get("code"), error.get("param"), str(error.get("message") or "")
    path = _path(param)
    if code in API_CODES or (path and path[0] in API_PARAMS | related_names()) or _MODEL_RULE.search(message):
        return None
    named = f", naming {'.'.join(path)!r}" if path else ""
    return Failure(
        f"A request valid against the request schema was refused with {response.status}{named}",
        expected="a 2xx: the request breaks no rule of the schema or of the API",
        got=f"Received: {response.status} {message[:200]}".rstrip(),
        pointer="/" + "/".join(path) if path else "",
    )


def _path(param: Any) -> list[str]:
    """``messages[0].content`` as ``["messages", "0", "content"]``: where in the body the refusal points."""
    if not isinstance(param, str) or not param:
        return []
    return [part for part in _SEGMENT.sub(lambda m: f".{m.group(1)}" if m.group(1) else ".", param).split(".") if part]
