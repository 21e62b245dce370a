"""The runner: every selected operation, in every mode, against one target.

Sends cases through the ``TargetSession``, applies the check catalogue to each
response, keeps what the run creates (ids feed later cases; all of it is
deleted at the end, also after Ctrl-C) and builds the results document.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from openai_conformance.strategies import Caps, Case, Pools

from .._bodies import objects_in
from .._errors import TargetUnreachable
from ..checks import CHECKS
from ..checks._base import Check, CheckContext, Response
from ..results import Ending, RunResult
from ..results._tally import Failure, OperationTally
from ._acceptance import judge_acceptance
from ._collect import collect
from ._ledger import Ledger, applicable_checks
from ._owned import Owned
from ._plan import in_shard, plan_cases, select_operations
from ._policy import MODES, is_destructive, refused_as_invalid, route_missing, state_actions
from ._probe import answers_again, check_reachable, probe_auth, probe_unknown_route, suggest_base_url
from ._progress import Progress
from ._refusals import keep_refusal
from ._session import BudgetExhausted, TargetSession, TransportError
from ._shrink import shrink_bugs

if TYPE_CHECKING:
    from collections.abc import Iterator

    from openai_conformance.spec import Operation, Spec

    from ._reference_side import ReferenceSide

_TIMEOUTS_BEFORE_GIVING_UP = 5


@dataclass
class RunOptions:
    max_examples: int = 20
    seed: int = 0
    operations: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    include_deprecated: bool | None = None  # None: yes for the reference server only
    modes: tuple[str, ...] = MODES
    caps: Caps | None = None
    allow_destructive: bool = False
    wrong_key: str = "invalid-openai-conformance-key"  # not sk-shaped: mocks accept any sk- key
    checks: tuple[str, ...] = ()  # empty: all
    reference_server: bool = False
    faults: tuple[str, ...] = ()
    errata: tuple[str, ...] = ()
    strict_spec: bool = False
    workers: int = 1  # concurrent requests; checks still run in order, one at a time
    shrink: bool = True  # look for the smallest request that still shows each bug
    shard: tuple[int, int] = (1, 1)  # (I, N): this run is slice I of N (report merge joins them)
    models: tuple[str, ...] = ()  # --model ID or KIND=ID: the models cases use (Pools.pin)


@dataclass
class Runner:
    spec: Spec
    session: TargetSession
    options: RunOptions = field(default_factory=RunOptions)
    progress: Progress | None = None
    compare_to: ReferenceSide | None = None  # --compare-to: each case goes there too

    def __post_init__(self) -> None:
        self.pools = Pools.from_spec(self.spec)
        self.pools.pin(self.options.models)
        self.owned = Owned(self.spec, self.pools)
        self.ledger = Ledger(self.session, set(self.options.checks) or set(CHECKS.names()))
        self.errors: list[str] = []
        self.skipped: list[dict[str, str]] = []
        self.probes: list[dict[str, Any]] = []  # checks of the target as a whole (_probe.py)
        self.interrupted = False
        self.unreachable = False
        self.refused = False
        self.incomplete = False  # stopped by --max-requests
        self.broken = False  # a step ended in an internal error: what it would have tested was not
        self._last_sent: tuple[Case, Any] | None = None  # the likeliest killer of a target that stops answering
        self._transport_streak = 0
        self._timeout_streak = 0
        self._answered = self._refused = 0  # requests sent with the key, and 401s to them
        self._ops = {op.operation_id: op for op in self.spec.operations}
        self._state_actions = state_actions(self.spec.operations)
        self._errata: list[tuple[Spec, Any]] = []  # under --strict-spec: each rule alone, to name spec bugs
        if self.options.strict_spec:
            from openai_conformance.spec import apply_errata, errata_for

            for erratum in errata_for(self.spec):
                self._errata.append((apply_errata(self.spec, only=[erratum.id])[0], erratum))

    # -- selection ---------------------------------------------------------------------
    def selected_operations(self) -> list[Operation]:
        return select_operations(self.spec, self.options, self._skip_operation)

    def _skip_operation(self, operation_id: str, reason: str) -> None:
        self.tally(operation_id).status, self.tally(operation_id).skip_reason = "skipped", reason
        self.skipped.append({"operation_id": operation_id, "reason": reason})

    def _skip_cases(self, operation_id: str, reason: str) -> None:
        self.skipped.append({"operation_id": operation_id, "reason": reason})

    def has(self, operation_id: str) -> bool:
        tally = self.ledger.tallies.get(operation_id)
        return operation_id in self._ops and not (tally and tally.status == "skipped")

    def tally(self, operation_id: str) -> OperationTally:
        return self.ledger.tally(operation_id)

    # -- the run -------------------------------------------------------------------------
    def run(self) -> RunResult:
        started_at, started = datetime.now(timezone.utc), time.perf_counter()
        operations = self.selected_operations()
        if self.progress:
            self.progress.run_started(len(operations))
        workers = self.options.workers
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="oc-send") if workers > 1 else None
        try:
            check_reachable(self.session)
            self._guarded("listing models", self._fill_model_pool)
            self._guarded("unknown-route probe", probe_unknown_route, self)
            if "stateful" in self.options.modes:
                self._run_workflows()
            for op in operations:
                self._guarded(op.operation_id, self._run_operation, op)
            self._guarded("base path probe", suggest_base_url, self)
            if self.options.shrink:
                self._guarded("shrinking", shrink_bugs, self)
        except KeyboardInterrupt:
            self.interrupted = True
            self.session.stopping.set()
        except BudgetExhausted as exc:
            self.incomplete = True
            self.errors.append(f"stopped early: {exc}")
        except TargetUnreachable as exc:
            self.unreachable = True
            self.errors.append(str(exc))
        finally:
            if self._pool is not None:
                self._pool.shutdown(wait=True, cancel_futures=True)
            self.owned.clean_up(self._housekeeping)
            if self.compare_to is not None:
                self.compare_to.finish(self._housekeeping, self.errors)
        judge_acceptance(self.ledger, self._ops, self._state_actions)
        if self._answered and self._refused == self._answered:
            self.errors.append(
                "every request was refused with 401: the key is missing or wrong (pass --api-key or set OPENAI_API_KEY)"
            )
            self.refused = True
        return collect(self, started_at, time.perf_counter() - started)

    def ending(self) -> Ending:
        return Ending(
            unreachable=self.unreachable,
            interrupted=self.interrupted,
            refused=self.refused,
            broken=self.broken,
            budget_spent=self.incomplete,
        )

    def _fill_model_pool(self) -> None:
        """Model ids the target lists, so that generated requests name real models."""
        if "listModels" not in self._ops:
            return
        response = self.send(self._ops["listModels"], Case("listModels", "GET", "/models", mode="setup"), check=False)
        listed = [m["id"] for m in objects_in(response.json if response else None) if isinstance(m.get("id"), str)]
        self.pools.prefer_listed(listed)

    def _run_workflows(self) -> None:
        for name, (workflow, needs) in self.owned.profile.workflows.items():
            if all(self.has(op) for op in needs) and in_shard(self.options.shard, "stateful", name, 0):
                if self.progress:
                    self.progress.operation_started(f"stateful:{name}", None)
                self._guarded(f"stateful:{name}", workflow, self)

    def _guarded(self, label: str, step: Any, *args: Any) -> None:
        """Run one step; a bug of ours (or an answer we did not foresee) costs that step only."""
        try:
            step(*args)
        except (BudgetExhausted, TargetUnreachable):
            raise
        except Exception as exc:  # noqa: BLE001 - recorded, and the run goes on
            self.errors.append(f"{label}: internal error: {type(exc).__name__}: {exc}")
            self.broken = True

    def _run_operation(self, op: Operation) -> None:
        plan = plan_cases(self.spec, op, self.options, self.pools, self.owned.identifiers(), self._skip_cases)
        if self.progress:
            self.progress.operation_started(op.operation_id, sum(len(c) for c in plan.values()) + 2)
        for mode, cases in plan.items():
            stop = (lambda: self._route_gone(op)) if mode == "positive" else (lambda: False)
            ordered = is_destructive(op) or op.operation_id in self._state_actions
            for case, outcome in self._sent_ahead(cases, stop, ordered):
                self.tally(op.operation_id).cases_by_mode[mode] += 1
                response = self.send(op, case, outcome=outcome)
                first = (
                    mode == "positive" and case is cases[0] and in_shard(self.options.shard, op.operation_id, mode, 0)
                )
                if first and response is not None and response.status not in (404, 405):
                    probe_auth(self, op, case)  # a missing route says nothing of auth
        if self.progress:
            self.progress.operation_finished(op.operation_id)

    def _sent_ahead(self, cases: list[Case], stop: Any, ordered: bool = False) -> Iterator[tuple[Case, Any]]:
        """Cases with what the pool sent for them, at most ``workers`` ahead of the checks.

        Nothing is sent once ``stop()`` says the rest would tell nothing (the route is
        gone): every request sent is one the results count. ``ordered``: one at a time, for
        calls that move an object along (a cancel racing another leaves it as timing decides).
        """
        if self._pool is None or ordered:
            for case in cases:
                if stop():
                    return
                yield case, None
            return
        window = self.options.workers
        pending = [(c, self._pool.submit(self.transmit, c)) for c in cases[:window]]
        upcoming = iter(cases[window:])
        while pending:
            case, future = pending.pop(0)
            if stop() and future.cancel():
                continue  # never sent; one already on the wire is answered and counted
            yield case, future.result()
            following = next(upcoming, None)
            if following is not None and not stop():
                pending.append((following, self._pool.submit(self.transmit, following)))

    def _route_gone(self, op: Operation) -> bool:
        """Three of three valid cases answered "no such route": the rest would say the same."""
        tally = self.tally(op.operation_id)
        return tally.valid_sent >= 3 and tally.not_implemented

    # -- one request ------------------------------------------------------------------
    def exchange(self, operation_id: str, case: Case) -> Response | None:
        """Send a workflow's request and apply the per-response checks (the Driver API)."""
        op = self._ops.get(operation_id)
        if op is None:
            return None
        self.tally(operation_id).cases_by_mode["stateful"] += 1
        return self.send(op, case)

    def transmit(self, case: Case) -> tuple[Any, Response | TransportError]:
        """Send only (safe in a worker thread): the checks run in order on the main thread."""
        try:
            return self.session.send(case)
        except TransportError as exc:
            return self.session.prepare(case), exc

    def send(
        self, op: Operation, case: Case, *, check: bool = True, outcome: tuple[Any, Any] | None = None
    ) -> Response | None:
        tally = self.tally(op.operation_id)
        prepared, response = outcome or self.transmit(case)
        if isinstance(response, TransportError):
            self._transport_failure(op, case, prepared, response)
            return None
        self._transport_streak = self._timeout_streak = 0
        self._last_sent = (case, prepared)
        tally.statuses[str(response.status)] += 1
        tally.latencies.append(response.elapsed_ms)
        self._answered += 1
        self._refused += response.status == 401
        if case.mode == "positive" or case.mode.startswith("example"):
            tally.valid_sent += 1
            tally.valid_accepted += 200 <= response.status < 300
            tally.valid_rejected += refused_as_invalid(case, response)
            keep_refusal(tally, case, prepared, response, self.session.keepable)
            tally.route_missing += route_missing(case, response)
            tally.last_valid = (case, prepared, self.session.keepable(response))
        self.ledger.sent(op.operation_id, case)
        if check:
            verdicts = self.apply_checks(op, case, prepared, response)
            self.owned.note(op, case, response)
            side = self.compare_to if "differs_from_reference" in self.ledger.selected else None
            if side is not None and side.compares(op, case, self._state_actions):
                self._compare(side, op, case, prepared, response, verdicts)
        if self.progress:
            self.progress.case_done(op.operation_id, len(self.ledger.findings))
        return response

    def apply_checks(self, op: Operation, case: Case, prepared: Any, response: Response) -> dict[str, bool]:
        """Apply and record the per-response checks; returns each applied check's verdict (passed)."""
        ctx = CheckContext(self.spec, op, case, response, extra={"fetch": self.fetch})
        verdicts = {}
        for check, failures in self._checked(ctx):
            verdicts[check.name] = not failures
            if failures and self._errata and (check.source == "spec" or check.name == "stream_format"):
                self._blame_spec_bugs(check, ctx, failures)
            self._record_verdict(
                check.name, op, case, prepared, response, failures[0] if failures else None, more=failures[1:]
            )
        return verdicts

    def _checked(self, ctx: CheckContext) -> Iterator[tuple[Check, list[Failure]]]:
        """Each selected per-response check that applies, with its failures (none: it passed)."""
        for check, outcome in applicable_checks(ctx, self.ledger.selected):
            if isinstance(outcome, Exception):
                self.errors.append(
                    f"check {check.name} failed on {ctx.operation.operation_id}: {type(outcome).__name__}: {outcome}"
                )
                self.broken = True
                continue
            yield check, outcome

    def _compare(
        self,
        side: ReferenceSide,
        op: Operation,
        case: Case,
        prepared: Any,
        response: Response,
        verdicts: dict[str, bool],
    ) -> None:
        """--compare-to: the same case to the reference, both answers judged side by side."""
        theirs = side.send(op, case, self.errors)
        if theirs is None:
            return
        ctx = CheckContext(self.spec, op, case, theirs, extra={"fetch": lambda url: self.fetch(url, side.session)})
        their_verdicts = {check.name: not failures for check, failures in self._checked(ctx)}
        failures = side.judge(case, response, theirs, verdicts, their_verdicts, self.owned.identifiers())
        if failures is not None:
            self._record_verdict(
                "differs_from_reference",
                op,
                case,
                prepared,
                response,
                failures[0] if failures else None,
                more=failures[1:],
            )

    def _blame_spec_bugs(self, check: Any, ctx: CheckContext, failures: list[Failure]) -> None:
        """Under --strict-spec, mark failures that a known spec bug alone explains, by its id."""
        for patched, erratum in self._errata:
            op = patched.operation(ctx.operation.operation_id)
            if not list(check.function(CheckContext(patched, op, ctx.case, ctx.response, ctx.extra))):
                for failure in failures:
                    failure.spec_bug = erratum.id
                    failure.message += f" (spec bug {erratum.id}: the real API does this too)"
                return

    def fetch(self, url: str, session: TargetSession | None = None) -> bytes | None:
        """What a url the target (or ``session``'s server) handed out holds; checks read image bytes."""
        try:
            response = (session or self.session).get(url)
        except TransportError:
            return None
        return response.content if response.status == 200 else None

    def verdict(
        self, check: str, operation_id: str, case: Case, response: Response | None, failure: Failure | None
    ) -> None:
        op = self._ops[operation_id]
        self._record_verdict(check, op, case, self.session.prepare(case), response, failure)

    def _record_verdict(
        self,
        check: str,
        op: Operation,
        case: Case,
        prepared: Any,
        response: Response | None,
        failure: Failure | None,
        more: Iterable[Failure] = (),
    ) -> None:
        self.ledger.verdict(check, op, case, prepared, response, failure, more)

    def _transport_failure(self, op: Operation, case: Case, prepared: Any, error: TransportError) -> None:
        """Record a request that got no usable answer; give up on a target that is gone.

        A refused connection never reached the target: the request is not to blame, the first
        of the streak that did reach it (or else the last one answered) is."""
        reason, timed_out = str(error), error.timed_out
        refused = error.refused
        if self._transport_streak == 0 and not refused:
            self._last_sent = (case, prepared)
        self._timeout_streak = self._timeout_streak + 1 if timed_out else 0
        self._transport_streak += 1
        if refused:
            self.errors.append(f"{op.operation_id} ({case.mode}): not sent, the connection was refused")
        else:
            self._record_verdict(
                "transport",
                op,
                case,
                prepared,
                None,
                Failure(f"No usable response: {reason}", "a complete response within the deadline and caps", reason),
            )
        if self._timeout_streak >= _TIMEOUTS_BEFORE_GIVING_UP:
            raise TargetUnreachable(
                f"target keeps timing out ({self._timeout_streak} requests in a row, last at {op.operation_id}); "
                f"the last one, which may have caused it: {self.session.curl(prepared, case)}"
            )
        if not timed_out and self._transport_streak >= 3 and not answers_again(self.session):
            likely = ""
            if self._last_sent is not None:
                last_case, last_prepared = self._last_sent
                likely = f"; the request that likely brought it down: {last_case.operation_id} ({last_case.mode}), reproduce with: {self.session.curl(last_prepared, last_case)}"
            raise TargetUnreachable(f"target stopped answering ({reason}) at {op.operation_id}{likely}")

    # -- what the run created (the Driver API of the workflows) -------------------------
    def created(self, kind: str, identifier: str) -> None:
        self.owned.add(kind, identifier)

    def forget(self, kind: str, identifier: str) -> None:
        self.owned.forget(kind, identifier)

    def _housekeeping(self, operation_id: str, path: str, session: TargetSession | None = None) -> Response | None:
        """A cleanup request (to the target, or the --compare-to server): outside the budget, unchecked, never raising."""
        op = self._ops.get(operation_id)
        if op is None:
            return None
        try:
            return (session or self.session).send(Case(operation_id, op.method, path, mode="cleanup"), budgeted=False)[
                1
            ]
        except (TransportError, KeyboardInterrupt):
            self.errors.append(f"cleanup: {op.method} {path} not sent")
            return None
