"""What the runner counts while it runs: failures of checks and per-operation tallies."""

from __future__ import annotations

import hashlib
import re
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Failure:
    """What a check found wrong in one response; becomes a ``Finding`` when recorded."""

    message: str
    expected: str = ""
    got: str = ""
    pointer: str = ""  # in the response body
    schema_pointer: str | None = None
    schema_excerpt: Any = None
    transcript: list[str] | None = None
    example_diff: dict[str, Any] | None = None
    spec_bug: str | None = None
    reference: dict[str, Any] | None = None  # --compare-to: the reference's answer, described


@dataclass
class OperationTally:
    """Everything counted about one operation during a run."""

    cases_by_mode: Counter = field(default_factory=Counter)
    statuses: Counter = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    checks: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    properties: set[str] = field(default_factory=set)
    negative_rules: set[str] = field(default_factory=set)
    valid_sent: int = 0  # positive and example cases answered (auth probes and workflows aside)
    valid_accepted: int = 0  # ... with a 2xx
    valid_rejected: int = 0  # ... with a 400 or 422: "invalid", said of a valid request
    route_missing: int = 0  # ... with a 404/405 for the route itself, not for an id
    last_valid: tuple[Any, Any, Any] | None = None  # (case, prepared, response), for a reproducer
    refusals: list[tuple[Any, Any, Any, Failure]] = field(default_factory=list)  # a few per property (_refusals.py)
    status: str | None = None  # forced status: "skipped"

    @property
    def not_implemented(self) -> bool:
        return self.valid_sent > 0 and self.route_missing == self.valid_sent

    skip_reason: str | None = None


def fingerprint(check: str, operation_id: str, failure: Failure) -> str:
    """The bug a finding shows: check, operation, where and what kind of mismatch.

    Independent of the generated values and the seed: array indices, numbers and
    quoted values are left out, so ``n: 107`` and ``n: 3`` ignored are one bug.
    """
    violation = "|".join(
        (
            check,
            operation_id,
            _shape(failure.pointer),
            _shape(failure.schema_pointer or ""),
            _shape(str(failure.expected)),
        )
    )
    return hashlib.sha256(violation.encode()).hexdigest()[:16]


_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
_NUMBER = re.compile(r"(?<![A-Za-z_])-?\d+(\.\d+)?")


def _shape(text: str) -> str:
    return _NUMBER.sub("#", _QUOTED.sub("'…'", text))


def latency_summary(samples: list[float]) -> dict[str, float] | None:
    if not samples:
        return None
    ordered = sorted(samples)

    def pick(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 3)

    return {"p50": round(statistics.median(ordered), 3), "p95": pick(0.95), "max": round(ordered[-1], 3)}


def latency_merge(summaries: list[dict[str, float] | None]) -> dict[str, float] | None:
    """Summaries of slices joined: an upper bound for p50/p95 (each slice's worst), the true max."""
    known = [s for s in summaries if s]
    if not known:
        return None
    return {key: max(s[key] for s in known) for key in ("p50", "p95", "max")}
