"""Runs composed as ``openai-conformance run`` composes them, inside the test's process.

``composed_run`` goes through the public face (``Choices``, ``prepare_run``, the
runner) with the embedded reference server in a thread on 127.0.0.1 (real HTTP,
no child process to start), or against ``base_url`` when the choices name one.
"""

from __future__ import annotations

from contextlib import ExitStack
from typing import TYPE_CHECKING, Any

from openai_conformance import Choices, RunResult, prepare_run
from openai_conformance.server import serve_in_thread

if TYPE_CHECKING:
    from openai_conformance.spec import Spec


def composed_run(spec: Spec, **chosen: Any) -> RunResult:
    """One run of ``spec`` with the ``Choices`` given (their defaults are the CLI's)."""
    with ExitStack() as stack:
        return prepare_run(Choices(**chosen), spec, stack, serve=serve_in_thread).runner().run()
