"""``openai-conformance serve``: run the reference server (an OpenAI mock) until Ctrl-C."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from .._errors import UsageError
from ..results import ExitCode

# Which operations have hand-written semantics, by document generation; every other
# operation of a document is answered by the schema-driven handler.
SERVED_BY_HAND = (
    "Served by hand: every operation of the 1.x documents and of 2.0.0 (completions, edits, "
    "embeddings, moderations, images, files, fine-tunes, models, answers, classifications, "
    "searches); of 2.3.0, chat completions, the Responses API (create, retrieve, delete, "
    "cancel, input items), embeddings, models, moderations, images, files, uploads, batches "
    "and fine_tuning jobs. Every other operation of a document (assistants, vector stores, "
    "evals, containers, admin, ...) is answered by the schema-driven handler: validated "
    "requests, schema-valid and stateful answers."
)


def add_parser(subparsers: Any) -> None:
    from ..server._main import add_arguments

    parser = subparsers.add_parser(
        "serve",
        help="run the reference server (a conformant OpenAI mock, with optional faults)",
        description="Run the reference server: every operation of the spec under /v1, "
        "deterministic and stateful, with named faults to switch on one at a time. " + SERVED_BY_HAND,
    )
    add_arguments(parser)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from ..server._faults import FAULTS
    from ..server._main import fault_lines, serve

    if args.list_faults:
        print("\n".join(fault_lines()))
        return ExitCode.OK
    unknown = sorted(set(args.fault) - FAULTS.keys())
    if unknown:
        raise UsageError(f"unknown fault(s): {', '.join(unknown)} (see --list-faults)")
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port={args.port} is not a port number")
    try:
        return serve(args, sys.stdout)
    except OSError as exc:
        raise UsageError(f"cannot listen on {args.host}:{args.port}: {exc.strerror}") from None
