"""The second server of ``run --compare-to``: which cases go to it, and what it is left holding.

Every positive, negative and example case goes to it unchanged, after the target has answered
(workflows, auth probes, shrinking, deletes and cancels stay the target's). Its own key (or the
target's), none of the target's ``--header`` values (they may carry a gateway's secret), its
own budget, and what its creates made is deleted at the end, as on the target.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from openai_conformance.strategies import Pools

from .._errors import TargetUnreachable, UsageError
from ._compare import differences
from ._owned import Owned
from ._policy import is_destructive
from ._session import BudgetExhausted, TargetSession, TransportError

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from openai_conformance.spec import Operation, Spec
    from openai_conformance.strategies import Case

    from ..checks._base import Response
    from ..results._tally import Failure

_ERRORS_KEPT = 20  # unanswered cases named one by one in the results; past that, counted
_GIVE_UP_AFTER = 5  # unanswered in a row: the reference is gone, the rest of the run goes on without it
COMPARED_MODES = ("positive", "negative", "example")


class ReferenceSide:
    """The ``--compare-to`` server as the runner sees it: send a case, judge the two answers."""

    def __init__(self, session: TargetSession, spec: Spec) -> None:
        self.session = session
        self.owned = Owned(spec, Pools.from_spec(spec))  # pools of its own: the target's ids stay the target's
        self.unanswered = self._streak = 0
        self.gone = False

    def check_reachable(self) -> None:
        """A reference that does not answer (exit 3), or refuses the key (exit 2), would make
        every comparison a difference or none: the run does not start."""
        try:
            response = self.session.get(self.session.base_url + "/models")
        except TransportError as exc:
            if not exc.timed_out:
                raise TargetUnreachable(f"--compare-to {self.session.base_url}: {exc}") from None
            return
        if response.status == 401:
            raise UsageError(
                f"--compare-to {self.session.base_url} refused the key (401): give it its own with "
                "--compare-key or OPENAI_CONFORMANCE_COMPARE_KEY"
            )

    def compares(self, op: Operation, case: Case, state_actions: frozenset[str]) -> bool:
        """Whether ``case`` goes to the reference: no delete, cancel or state change ever does. The
        run may act on the target's objects (its own, or all on the embedded server), never on the
        reference's: on the target's own, the target's call already changed it, or the reference
        never held it."""
        if self.gone or not case.mode.startswith(COMPARED_MODES):
            return False
        return not (is_destructive(op) or op.operation_id in state_actions)

    def send(self, op: Operation, case: Case, errors: list[str]) -> Response | None:
        """The reference's answer; ``None`` (and a line in ``errors``) when it gave none."""
        try:
            _, response = self.session.send(case)
        except TransportError as exc:
            self.unanswered += 1
            self._streak += 1
            if self.unanswered <= _ERRORS_KEPT:
                errors.append(f"--compare-to: {op.operation_id} ({case.mode}) not compared: {exc}")
            if self._streak >= _GIVE_UP_AFTER:
                self.gone = True
                errors.append(f"--compare-to: {_GIVE_UP_AFTER} cases in a row unanswered: nothing more compared")
            return None
        except BudgetExhausted as exc:
            raise BudgetExhausted(f"--compare-to: {exc}") from None
        self._streak = 0
        self.owned.note(op, case, response)
        return response

    def judge(
        self,
        case: Case,
        target: Response,
        reference: Response,
        target_verdicts: Mapping[str, bool],
        reference_verdicts: Mapping[str, bool],
        mine: set[str],
    ) -> list[Failure] | None:
        """The differences that matter, each carrying the reference's answer; ``None``: no verdict.

        A case naming an object the run created on the target, refused by the reference, says
        nothing: the reference may never have held that object.
        """
        if _mentions(case, mine) and reference.status >= 400 > target.status:
            return None
        failures = differences(target, reference, target_verdicts, reference_verdicts)
        described = self.session.describe_response(reference) if failures else None
        for failure in failures:
            failure.reference = described
        return failures

    def finish(self, housekeeping: Callable[..., Any], errors: list[str]) -> None:
        """Delete what the reference's creates made (with ``housekeeping(op, path, session)``),
        and count the cases it did not answer past the ones named."""
        self.owned.clean_up(lambda operation_id, path: housekeeping(operation_id, path, self.session))
        if self.unanswered > _ERRORS_KEPT:
            errors.append(
                f"--compare-to: {self.unanswered} cases not compared in all (the first {_ERRORS_KEPT} named above)"
            )


def _mentions(case: Case, ids: set[str]) -> bool:
    """Whether the case names one of ``ids`` anywhere: path (an example's comes filled in), query, body or form."""
    if not ids:
        return False
    values = [*case.path.split("/"), *case.query.values(), case.json, *(case.form or {}).values()]
    return any(found in ids for found in _strings(values))


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return [text for item in value for text in _strings(item)]
    return []
