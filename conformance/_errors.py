"""Errors of the suite itself (never a verdict on a target).

    ConformanceToolError         exit_code, label
      UsageError                 bad arguments: exit 2
      TargetUnreachable          the target did not answer: exit 3

Nonconformance of a target is not an exception: it is a ``Finding``.
"""

from __future__ import annotations


class ConformanceToolError(Exception):
    exit_code = 2
    label = "error"


class UsageError(ConformanceToolError):
    exit_code = 2
    label = "usage error"


class TargetUnreachable(ConformanceToolError):
    exit_code = 3
    label = "target unreachable"
