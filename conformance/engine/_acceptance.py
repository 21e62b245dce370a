"""``positive_accepted``: judged once a run has sent everything, from what each operation answered.

An operation that accepted none of its valid requests is one finding, not silence;
a cancel, delete or pause refused for the object's state is no verdict.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING

from ..results._tally import Failure
from ._policy import is_destructive
from ._refusals import judge_refusals

if TYPE_CHECKING:
    from openai_conformance.spec import Operation

    from ._ledger import Ledger


def judge_acceptance(ledger: Ledger, operations: Mapping[str, Operation], state_actions: Collection[str]) -> None:
    """Record ``positive_accepted`` for every operation that ran, through the ledger like any verdict."""
    for operation_id, tally in ledger.tallies.items():
        if tally.status == "skipped" or tally.not_implemented or tally.valid_accepted or not tally.valid_rejected:
            continue
        op = operations[operation_id]
        if is_destructive(op) or operation_id in state_actions or not tally.last_valid:
            continue
        case, prepared, response = tally.last_valid
        statuses = ", ".join(sorted({s for s in tally.statuses if not s.startswith("2")}))
        failure = Failure(
            f"None of {tally.valid_sent} valid requests was accepted; {tally.valid_rejected} were called invalid",
            "a 2xx for requests valid against the request schema",
            f"Received: {statuses}",
        )
        ledger.verdict("positive_accepted", op, case, prepared, response, failure)
    judge_refusals(ledger, operations, state_actions)
    if "positive_accepted" not in ledger.selected:
        return
    for tally in ledger.tallies.values():
        if tally.valid_accepted and tally.status != "skipped":
            tally.checks["positive_accepted"]["passed"] += 1
