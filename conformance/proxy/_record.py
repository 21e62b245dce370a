"""The proxy's results: the catalogue applied to each real exchange, tallied as a run tallies.

``Recorder`` keeps what ``collect`` reads of a runner (tallies, findings, errors,
the session that redacts), so the proxy's ``RunResult`` is built by the same code
as a run's and renders in the same reports.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from openai_conformance.strategies import Case

from ..checks import CHECKS
from ..checks._base import CheckContext
from ..engine._collect import collect
from ..engine._ledger import Ledger, applicable_checks
from ..engine._session import Prepared, TargetSession, _url_secrets
from ..redact import Redactor
from ..results import Ending, RunResult
from ..results._tally import Failure, OperationTally
from ._exchange import OperationIndex, case_of, prepared_of, response_of, too_deep

if TYPE_CHECKING:
    from openai_conformance.spec import Spec

    from ._exchange import Exchange

MODE = "proxy"
_MAX_ERRORS = 200  # distinct messages; repeats are counted
_KEY_HEADERS = ("authorization", "api-key", "x-api-key", "openai-api-key", "proxy-authorization")


@dataclass(frozen=True)
class ProxyRunOptions:
    """What ``collect`` reads of a run's options, as a proxy session states it."""

    strict_spec: bool = False
    errata: tuple[str, ...] = ()
    reference_server: bool = False
    faults: tuple[str, ...] = ()
    seed: int | None = None  # nothing was drawn
    modes: tuple[str, ...] = (MODE,)
    max_examples: int | None = None
    checks: tuple[str, ...] = field(default=())  # empty: all


class Recorder:
    """Checks each exchange it is given and keeps the tallies; thread-safe."""

    def __init__(self, spec: Spec, upstream: str, options: ProxyRunOptions | None = None) -> None:
        self.spec = spec
        self.options = options or ProxyRunOptions()
        self.session = TargetSession(upstream)  # never sends: it describes and redacts
        self.index = OperationIndex(spec)
        self.ledger = Ledger(self.session, set(self.options.checks) or set(CHECKS.names()))
        self._secrets: set[str] = set(_url_secrets(upstream))
        for op in spec.operations:
            tally = self.ledger.tally(op.operation_id)
            tally.status, tally.skip_reason = "skipped", "not in the traffic"
        self._errors: Counter[str] = Counter()
        self._unmatched: Counter[str] = Counter()
        self.broken = False
        self.interrupted = False  # Ctrl-C is how a proxy session ends: not an interruption
        self.refused = False  # a key the upstream refuses is the client's business, not a verdict
        self.probes: list[dict[str, Any]] = []  # a proxy sends nothing of its own
        self.compare_to = None  # nor compares with a second target
        self.answered = self.failed = 0
        self.changes = 0  # bumped by every exchange, so a flush knows when to write
        self.started_at, self._started = datetime.now(timezone.utc), time.perf_counter()
        self._lock = threading.Lock()

    # -- what collect() reads of a runner -------------------------------------------------
    @property
    def errors(self) -> list[str]:
        listed = [f"{m} ({n} times)" if n > 1 else m for m, n in self._errors.items()]
        return listed + [
            f"{n} requests to {k} match no operation of the spec (forwarded, not checked)"
            for k, n in self._unmatched.items()
        ]

    @property
    def skipped(self) -> list[dict[str, str]]:
        return []  # operations without traffic say so in their own status

    def ending(self) -> Ending:
        unreachable = self.failed > 0 and self.answered == 0
        return Ending(unreachable=unreachable, broken=self.broken)

    # -- recording ------------------------------------------------------------------------
    def record(self, exchange: Exchange) -> None:
        """Check one exchange and tally it (in the checker thread; the client has its answer)."""
        with self._lock:
            self.changes += 1
            self._learn_secrets(exchange.headers, exchange.upstream_url)
            matched = self.index.match(exchange.method, exchange.path)
            if matched is None:
                if len(self._unmatched) < _MAX_ERRORS:
                    self._unmatched[f"{exchange.method} {self.session.redactor.text(exchange.path)}"] += 1
                return
            op, path, parameters = matched
            case = case_of(exchange, op, path, parameters)
            prepared = prepared_of(exchange, case)
            tally = self.ledger.tally(op.operation_id)
            tally.status = tally.skip_reason = None
            tally.cases_by_mode[MODE] += 1
            self.session.counters.requests += 1
            self.ledger.sent(op.operation_id, case)
            if exchange.status is None:
                self.failed += 1
                reason = exchange.failure or "no response"
                self._verdict(
                    "transport",
                    op.operation_id,
                    case,
                    prepared,
                    None,
                    Failure(
                        f"No usable response: {reason}", "a complete response within the deadline and caps", reason
                    ),
                )
                return
            self._answered(op.operation_id, tally, exchange, case, prepared)

    def _answered(
        self, operation_id: str, tally: OperationTally, exchange: Exchange, case: Case, prepared: Prepared
    ) -> None:
        self.answered += 1
        tally.statuses[str(exchange.status)] += 1
        tally.latencies.append(exchange.elapsed_ms)
        self.session.counters.rate_limited += exchange.status == 429
        response = response_of(exchange)
        if exchange.over_cap:
            self._verdict(
                "transport",
                operation_id,
                case,
                prepared,
                response,
                Failure(
                    f"Response not checked: {exchange.over_cap}",
                    "a complete response within the caps",
                    exchange.over_cap,
                ),
            )
            return
        if too_deep(case.json) or too_deep(response.json):
            self._error(f"{operation_id}: JSON nested deeper than the bound: passed through, not checked")
            return
        ctx = CheckContext(self.spec, self.spec.operation(operation_id), case, response)
        for check, outcome in applicable_checks(ctx, self.ledger.selected):
            if isinstance(outcome, Exception):
                self._error(f"check {check.name} failed on {operation_id}: {type(outcome).__name__}: {outcome}")
                self.broken = True
                continue
            self._verdict(
                check.name,
                operation_id,
                case,
                prepared,
                response,
                outcome[0] if outcome else None,
                more=list(outcome[1:]),
            )

    def _verdict(
        self,
        check: str,
        operation_id: str,
        case: Case,
        prepared: Prepared,
        response: Any,
        failure: Failure | None = None,
        more: list[Failure] | None = None,
    ) -> None:
        self.ledger.verdict(check, self.spec.operation(operation_id), case, prepared, response, failure, more or ())

    def _learn_secrets(self, headers: dict[str, str], url: str) -> None:
        """Every key a client sends (header or ``?api-key=``) is redacted from all written after."""
        found = {
            value.split(" ", 1)[-1].strip() for name, value in headers.items() if name in _KEY_HEADERS and value.strip()
        } | set(_url_secrets(url))
        if found - self._secrets:
            self._secrets |= found
            self.session.redactor = Redactor(self._secrets)

    def _error(self, message: str) -> None:
        message = self.session.redactor.text(message)
        if message in self._errors or len(self._errors) < _MAX_ERRORS:
            self._errors[message] += 1

    def note(self, message: str) -> None:
        """Something of the session to say in the results (a refused request, a cut stream)."""
        with self._lock:
            self._error(message)

    def result(self) -> RunResult:
        """The results so far: the same ``RunResult`` a run builds, through the same code."""
        with self._lock:
            return collect(self, self.started_at, time.perf_counter() - self._started)
