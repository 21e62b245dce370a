"""openai-conformance: contract testing and spec conformance for the OpenAI REST API.

The public face: ``Choices`` (what a user chooses) and ``prepare_run`` (a run
composed from them), ``Runner`` and ``RunOptions``, the check catalogue
``CHECKS``, and the results model (``RunResult``, ``Verdict``, ``ExitCode``).
Names load on first use, so that ``openai-conformance --help`` stays quick.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._compose import Choices, PreparedRun, prepare_run
    from ._runner import Runner, RunOptions
    from .checks import CHECKS
    from .results import ExitCode, Finding, RunResult, Verdict

_WHERE = {
    "Choices": "._compose",
    "PreparedRun": "._compose",
    "prepare_run": "._compose",
    "Runner": "._runner",
    "RunOptions": "._runner",
    "CHECKS": ".checks",
    "ExitCode": ".results",
    "Finding": ".results",
    "RunResult": ".results",
    "Verdict": ".results",
}
__all__ = [
    "CHECKS",
    "Choices",
    "ExitCode",
    "Finding",
    "PreparedRun",
    "RunOptions",
    "RunResult",
    "Runner",
    "Verdict",
    "prepare_run",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(_WHERE[name], __name__), name)
