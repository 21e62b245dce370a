"""Shrinking against the live target: the smallest request that still shows the same bug.

Hypothesis shrinks for schemathesis against a function; ours must shrink against
the real server, within a request budget per bug. Candidates drop optional
properties, shorten arrays and strings, and bring numbers down towards their
boundary (``n: 107`` becomes ``n: 2``); a candidate is sent only if it is still
valid against the request schema, and kept only if it still fails the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from openai_conformance.strategies import Case

from ..checks import CHECKS
from ..checks._base import CheckContext
from ..results._tally import fingerprint
from ._session import TransportError

if TYPE_CHECKING:
    from openai_conformance.spec import Operation

    from ._runner import Runner

DEFAULT_BUDGET = 30  # requests per bug, counted in --max-requests like every other


def shrink(
    case: Case,
    schema: dict[str, Any],
    *,
    valid: Callable[[Any], bool],
    still_fails: Callable[[Case], bool],
    budget: int = DEFAULT_BUDGET,
    resolve: Callable[[Any], Any] = lambda schema: schema,
) -> tuple[Case, int]:
    """The smallest case found and the requests spent; ``still_fails`` sends one request."""
    if not isinstance(case.json, dict):
        return case, 0
    current, spent, improved = case, 0, True
    while improved and spent < budget:
        improved = False
        for body in candidates(current.json, resolve(schema), resolve):
            if spent >= budget:
                break
            if not valid(body):
                continue
            spent += 1
            smaller = replace(current, json=body)
            if still_fails(smaller):
                current, improved = smaller, True
                break
    return current, spent


def candidates(
    body: dict[str, Any], schema: dict[str, Any], resolve: Callable[[Any], Any] = lambda schema: schema
) -> Iterator[dict[str, Any]]:
    """Bodies smaller than ``body`` by one step, the biggest steps first."""
    required = set(schema.get("required", ())) if isinstance(schema, dict) else set()
    properties = schema.get("properties", {}) if isinstance(schema, dict) else {}
    for name in body:
        if name not in required:
            yield {k: v for k, v in body.items() if k != name}
    for name, value in body.items():
        for smaller in _smaller(value, resolve(properties.get(name)) if isinstance(properties, dict) else None):
            yield {**body, name: smaller}


def _smaller(value: Any, schema: Any) -> Iterator[Any]:
    schema = schema if isinstance(schema, dict) else {}
    if isinstance(value, bool) or value is None:
        return
    if isinstance(value, int):
        low = int(schema.get("minimum", 0))
        for step in dict.fromkeys((low, low + 1, (low + value) // 2, value - 1)):
            if low <= step < value:
                yield step
    elif isinstance(value, float):
        for fraction in (0.0, round(value, 1), 1.0):
            if fraction < value:
                yield fraction
    elif isinstance(value, str) and len(value) > 1:
        yield value[: len(value) // 2]
    elif isinstance(value, list) and len(value) > 1:
        yield value[:1]
        yield value[: len(value) // 2]


def shrink_bugs(runner: Runner) -> None:
    """For each bug of the run, a smaller request that still shows it, recorded as a finding of its own."""
    for bug, (op, case, check) in list(runner.ledger.bugs.items()):
        media = op.request_body.content.get("application/json") if op.request_body else None
        if media is None or media.schema is None:
            continue
        smallest, _ = shrink(
            case,
            media.schema,
            valid=lambda body, m=media: runner.spec.is_valid(m.pointer, body),
            still_fails=lambda smaller, op=op, check=check, bug=bug: _shows(runner, op, smaller, check, bug),
            resolve=runner.spec.resolve,
        )
        if smallest is not case:
            runner.send(op, replace(smallest, mode="shrink"))


def _shows(runner: Runner, op: Operation, case: Case, check: str, bug: str) -> bool:
    """Send ``case`` and run one check on the answer: does it fail with that fingerprint?"""
    _, response = runner.transmit(case)
    if isinstance(response, TransportError):
        return False
    ctx = CheckContext(runner.spec, op, case, response, extra={"fetch": runner.fetch})
    function = CHECKS[check].function
    if function is None or not CHECKS[check].applies(ctx):
        return False
    return any(fingerprint(check, op.operation_id, f) == bug for f in function(ctx))
