"""openai-conformance: contract testing and spec conformance for the OpenAI REST API.

The public face: ``Choices`` (what a user chooses) and ``prepare_run`` (a run
composed from them), ``Runner`` and ``RunOptions``, the check catalogue
``CHECKS``, and the results model (``RunResult``, ``Verdict``, ``ExitCode``).
Names load on first use, so that ``openai-conformance --help`` stays quick.

Where things are: ``cli/`` the command line (one module per subcommand);
``engine/`` composing a run and sending its cases (runner, session, workflows,
shrinking); ``checks/`` every check, registered as data; ``results/`` the typed
results model the reports read; ``profiles/`` what differs between generations
of the API; ``server/`` the reference server, a target of its own; ``proxy/``
the validating proxy. Each part imports only those before it in
results -> checks -> engine -> cli (tests/test_architecture.py holds that).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .checks import CHECKS
    from .engine._compose import Choices, PreparedRun, prepare_run
    from .engine._runner import Runner, RunOptions
    from .results import ExitCode, Finding, RunResult, Verdict

_WHERE = {
    "Choices": ".engine._compose",
    "PreparedRun": ".engine._compose",
    "prepare_run": ".engine._compose",
    "Runner": ".engine._runner",
    "RunOptions": ".engine._runner",
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
