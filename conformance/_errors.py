"""Errors of the suite itself (never a verdict on a target).

    ConformanceToolError         exit_code, label
      UsageError                 bad arguments: exit 2
      TargetUnreachable          the target did not answer: exit 3

Nonconformance of a target is not an exception: it is a ``Finding``.
"""

from __future__ import annotations

from .results import ExitCode


class ConformanceToolError(Exception):
    exit_code = ExitCode.USAGE
    label = "error"


class UsageError(ConformanceToolError):
    exit_code = ExitCode.USAGE
    label = "usage error"


class TargetUnreachable(ConformanceToolError):
    exit_code = ExitCode.UNREACHABLE
    label = "target unreachable"
