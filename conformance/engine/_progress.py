"""Progress while a run goes, on stderr: a live status line with an ETA, only on a terminal.

``verbose`` adds a line per operation as it finishes and one per new bug as it
is found (on a terminal or not: a CI log gets them too); ``quiet`` writes nothing.
"""

from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any, TextIO


def clock_text(seconds: float) -> str:
    """``75.2`` -> ``1:15``; hours when a run is that long."""
    minutes, secs = divmod(int(seconds + 0.5), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


class Progress:
    """Counts cases against the plan and estimates the time left from the rate so far."""

    def __init__(
        self,
        stream: TextIO | None = None,
        *,
        quiet: bool = False,
        verbose: bool = False,
        max_time: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream or sys.stderr
        self.quiet, self.verbose = quiet, verbose and not quiet
        self.live = not quiet and hasattr(self.stream, "isatty") and self.stream.isatty()
        self.clock, self.started, self.max_time = clock, clock(), max_time
        self.operation = ""
        self.total: int | None = None
        self.done = 0  # requests of the current operation
        self.findings = 0
        self.cases = 0  # requests of the whole run
        self.operations = 0  # planned operations (0: not told)
        self.operations_started = 0
        self._planned_started = 0  # cases planned by the operations started so far
        self._planned_finished = 0
        self._phase_started: float | None = None  # when the first operation began (workflows before it)
        self._watched: Sequence[Any] = ()
        self._seen = 0
        self._bugs: set[str] = set()
        self._last = 0.0

    # -- events of the runner -------------------------------------------------------
    def run_started(self, operations: int) -> None:
        """How many operations the run will go through, so that the ETA has a denominator."""
        self.operations = operations

    def watch(self, findings: Sequence[Any]) -> None:
        """The runner's findings list, read (never changed) to show each new bug under ``verbose``."""
        self._watched = findings

    def operation_started(self, operation: str, total: int | None) -> None:
        self.operation, self.total, self.done = operation, total, 0
        if total is not None:
            self.operations_started += 1
            self._planned_started += total
            if self._phase_started is None:
                self._phase_started = self.clock()
        self._draw(force=True)

    def case_done(self, operation: str, findings: int) -> None:
        self.done += 1
        self.cases += 1
        self.findings = findings
        if self.verbose:
            self._new_bugs()
        self._draw()

    def operation_finished(self, operation: str) -> None:
        if self.total is not None:
            self._planned_finished += self.total
        if self.verbose:
            self._say(
                f"  {operation}: {self.done} requests, {self.findings} findings so far, "
                f"{clock_text(self.clock() - self.started)} elapsed"
            )
        self.total = None
        self._draw(force=True)

    def close(self) -> None:
        if self.live:
            self.stream.write("\r\033[K")
            self.stream.flush()

    # -- the estimate ---------------------------------------------------------------
    def planned(self) -> tuple[int, int, bool]:
        """(cases done, cases planned, whether planned is an estimate) over the operations."""
        current = min(self.done, self.total) if self.total is not None else 0
        done = self._planned_finished + current
        unstarted = max(0, self.operations - self.operations_started)
        if not self.operations_started:
            return done, 0, True
        average = self._planned_started / self.operations_started
        return done, self._planned_started + round(average * unstarted), unstarted > 0

    def remaining(self) -> tuple[float | None, bool]:
        """(seconds left, whether --max-time is the bound); None before there is a rate."""
        now = self.clock()
        by_time = None if self.max_time is None else max(0.0, self.max_time - (now - self.started))
        estimate = None
        done, planned, _ = self.planned()
        # Too early, the pipeline's fill (workers x latency) dwarfs the rate: wait for a tenth.
        if self._phase_started is not None and done and planned and (done * 10 >= planned or self._planned_finished):
            rate = done / max(now - self._phase_started, 1e-6)
            estimate = max(0, planned - done) / rate
        if by_time is not None and (estimate is None or by_time < estimate):
            return by_time, True
        return estimate, False

    def status(self) -> str:
        """The live line: cases done of planned, findings, elapsed, time left, then the operation.

        The operation comes last: a narrow terminal cuts its name, not the estimate.
        """
        done, planned, estimated = self.planned()
        parts = [
            f"cases {done}/{'~' * estimated}{planned}" if planned else f"{self.cases} requests",
            f"{self.findings} findings",
        ]
        left, bounded = self.remaining()
        elapsed = f"{clock_text(self.clock() - self.started)} elapsed"
        parts.append(elapsed if left is None else f"{elapsed}, ~{clock_text(left)} left{' (--max-time)' * bounded}")
        where = f"[{self.operations_started}/{self.operations}] " if self.operations and self.total is not None else ""
        of = f"/{self.total}" if self.total else ""
        parts.append(f"{where}{self.operation} {self.done}{of}" if self.operation else "starting")
        return " · ".join(parts)

    # -- output -----------------------------------------------------------------------
    def _new_bugs(self) -> None:
        """One line per fingerprint the first time a finding carries it (a bug, not each case)."""
        for finding in self._watched[self._seen :]:
            if finding.fingerprint not in self._bugs:
                self._bugs.add(finding.fingerprint)
                self._say(f"  new bug: {finding.check} · {finding.operation_id} ({finding.mode}): {finding.message}")
        self._seen = len(self._watched)

    def _say(self, line: str) -> None:
        """A line that stays: above the live line on a terminal, plain otherwise."""
        self.stream.write(("\r\033[K" if self.live else "") + line + "\n")
        self._draw(force=True)

    def _draw(self, *, force: bool = False) -> None:
        if not self.live:
            return
        now = self.clock()
        if not force and now - self._last < 0.1:
            return
        self._last = now
        # A line wider than the terminal wraps, and "\r" would then redraw only its tail.
        width = shutil.get_terminal_size().columns - 1
        self.stream.write(f"\r\033[K{self.status()[:width]}")
        self.stream.flush()
