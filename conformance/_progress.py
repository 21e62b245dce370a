"""Progress while a run goes: one status line on a terminal, a line per operation otherwise."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Shows the operation, cases done and findings so far; quiet writes nothing."""

    def __init__(self, stream: TextIO | None = None, *, quiet: bool = False) -> None:
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.live = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.operation = ""
        self.total: int | None = None
        self.done = 0
        self.findings = 0
        self.cases = 0
        self._last = 0.0

    def operation_started(self, operation: str, total: int | None) -> None:
        self.operation, self.total, self.done = operation, total, 0
        self._draw(force=True)

    def case_done(self, operation: str, findings: int) -> None:
        self.done += 1
        self.cases += 1
        self.findings = findings
        self._draw()

    def operation_finished(self, operation: str) -> None:
        if not self.quiet and not self.live:
            self.stream.write(f"  {operation}: {self.done} requests, {self.findings} findings so far\n")
        self._draw(force=True)

    def close(self) -> None:
        if self.live and not self.quiet:
            self.stream.write("\r\033[K")
            self.stream.flush()

    def _draw(self, *, force: bool = False) -> None:
        if self.quiet or not self.live:
            return
        now = time.monotonic()
        if not force and now - self._last < 0.1:
            return
        self._last = now
        of = f"/{self.total}" if self.total else ""
        self.stream.write(f"\r\033[K{self.operation}: {self.done}{of} requests · {self.cases} total · {self.findings} findings")
        self.stream.flush()
