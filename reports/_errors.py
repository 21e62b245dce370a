"""Errors of the reports package: the input is not something a report can be made from.

ReportError              one line, shown by the CLI as exit 2
  ResultsInvalid         missing file, not JSON, or not a results document
  UnknownFormat          a format name no reporter is registered for
"""

from __future__ import annotations


class ReportError(Exception):
    """Root of the reports package's errors; the message is one line."""


class ResultsInvalid(ReportError):
    """The input is not a readable results document (format 1)."""


class UnknownFormat(ReportError, ValueError):
    """No reporter (or diff renderer) is registered under that name."""
