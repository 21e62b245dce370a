"""Which refusals of a valid request are the target's bugs: each a warning, grouped by the property it names.

The API itself refuses some requests its schema allows: a model it does not serve, a prompt past
the context length, a rule between properties (``strategies.related_names``), a rule that depends
on the model asked. Those are no bug of the target; any other 400 or 422 to a positive case is.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from openai_conformance.strategies import related_names

from ..results._tally import Failure
from ._policy import is_destructive, refused_as_invalid

if TYPE_CHECKING:
    from collections.abc import Collection, Mapping

    from openai_conformance.spec import Operation
    from openai_conformance.strategies import Case

    from ..checks._base import Response
    from ..results._tally import OperationTally
    from ._ledger import Ledger

CHECK = "valid_accepted"
# Error codes the API gives valid requests by its own rules.
API_CODES = frozenset({"model_not_found", "context_length_exceeded"})
# Which models a target serves, and for what, is its choice: a refusal naming the model is no bug.
API_PARAMS = frozenset({"model"})
_MODEL_RULE = re.compile(r"\bmodels?\b", re.IGNORECASE)  # "not supported with this model", "for gpt-image models"
_SEGMENT = re.compile(r"\[(\d+)\]|\.")
KEPT_PER_BUG = 50  # cases kept of each property an operation's refusals name: enough to count, bounded


def keep_refusal(
    tally: OperationTally, case: Case, prepared: Any, response: Response, keepable: Callable[..., Any]
) -> None:
    """Note a refusal of a valid case on its operation's tally; judged with the others once the run ends."""
    found = refusal(case, response)
    if found is not None and sum(f.pointer == found.pointer for *_, f in tally.refusals) < KEPT_PER_BUG:
        tally.refusals.append((case, prepared, keepable(response), found))


def judge_refusals(ledger: Ledger, operations: Mapping[str, Operation], state_actions: Collection[str]) -> None:
    """Each kept refusal a ``valid_accepted`` warning, once the run has sent everything.

    An operation that accepted nothing has its ``positive_accepted`` finding instead; a cancel,
    delete or pause refused for the object's state is no verdict.
    """
    for operation_id, tally in ledger.tallies.items():
        op = operations[operation_id]
        if tally.status == "skipped" or not tally.valid_accepted or is_destructive(op) or operation_id in state_actions:
            continue
        for case, prepared, response, failure in tally.refusals:
            ledger.verdict(CHECK, op, case, prepared, response, failure)
        if CHECK in ledger.selected:
            tally.checks[CHECK]["passed"] += tally.valid_accepted


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
