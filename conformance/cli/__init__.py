"""``openai-conformance``: the command line. It only wires the stages together.

Each subcommand lives in its own module here (``_run.py``, ``_report.py``, ...) with ``add_parser``
and ``handle``; this module parses, dispatches, and turns the suite's own
errors into one line and an exit code, in one place.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from .._errors import ConformanceToolError, UsageError
from ..redact import Redactor
from ..results import SUITE_VERSION, ExitCode

# Every subcommand: its module (``add_parser`` and a handler) and its line in --help.
# Only the command given is imported, so that --help stays quick; a test holds each
# line equal to the one its module gives.
COMMANDS = {
    "run": ("._run", "run the conformance suite against a target (default: the embedded reference server)"),
    "checks": ("._checks", "list the checks, their sources and what each asserts"),
    "serve": ("._serve", "run the reference server (a conformant OpenAI mock, with optional faults)"),
    "spec": ("._spec", "lint one OpenAPI document or diff two"),
    "report": ("._report", "re-render a saved run, diff two runs, or merge the slices of a sharded run"),
    "replay": ("._replay", "send a finding's request again and run its check (exit 0 if the bug is gone, 1 if not)"),
    "proxy": ("._proxy", "forward real traffic to an upstream and check every exchange like a run"),
}
# Every exit code, one line each in the top-level --help; a test holds the list equal to ExitCode.
EXIT_CODES = {
    ExitCode.OK: "conformant, or incomplete with no finding (--max-requests or --max-time spent)",
    ExitCode.FINDINGS: "findings, or operations not implemented",
    ExitCode.USAGE: "usage or spec error (one line, no traceback), or every request refused for the key",
    ExitCode.UNREACHABLE: "target unreachable",
    ExitCode.INTERNAL: "internal error: a bug of ours cut part of the run (the results say which step)",
    ExitCode.INTERRUPTED: "interrupted by Ctrl-C or SIGTERM (cleanup done, results so far written)",
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser; with ``argv``, only the command it names is built in full."""
    parser = _Parser(
        prog="openai-conformance",
        description="Contract testing and spec conformance for the OpenAI REST API\n"
        "and every server, mock, proxy or gateway that claims to speak it.",
        epilog="exit codes:\n"
        + "".join(f"  {int(code):<4}{line}\n" for code, line in EXIT_CODES.items())
        + "\nRun 'openai-conformance COMMAND --help' for a command's options.",
        formatter_class=argparse.RawDescriptionHelpFormatter,  # keep the table's lines
    )
    parser.add_argument("--version", action="version", version=f"openai-conformance {SUITE_VERSION}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    given = next((a for a in (sys.argv[1:] if argv is None else argv) if not a.startswith("-")), None)
    for name, (module, line) in COMMANDS.items():
        if name == given:
            importlib.import_module(module, __package__).add_parser(sub)
        elif given not in COMMANDS:
            sub.add_parser(name, help=line)  # --help and mistakes list every command
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns (and exits with) the exit code."""
    try:
        parser = build_parser(argv)
        args = parser.parse_args(argv)
        if not getattr(args, "handler", None):
            parser.print_help()
            return ExitCode.USAGE
        code = int(args.handler(args))
    except ConformanceToolError as exc:
        _error(f"{exc.label}: {exc}")
        code = exc.exit_code
    except KeyboardInterrupt:
        _error("interrupted")
        code = ExitCode.INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`... | head`): not an error of ours, and nothing to say.
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - Python flushes stderr at exit
        code = 0
    except Exception as exc:  # noqa: BLE001 - a bug of ours still ends in one line
        if _is_spec_error(exc):
            _error(f"spec error: {exc}")
            code = ExitCode.USAGE
        elif os.environ.get("OPENAI_CONFORMANCE_DEBUG"):
            raise
        else:
            message = Redactor().text(f"{type(exc).__name__}: {exc}".splitlines()[0])
            _error(f"internal error: {message} (set OPENAI_CONFORMANCE_DEBUG=1 for the traceback)")
            code = ExitCode.INTERNAL  # neither the target's fault nor the user's
    if argv is None:
        sys.exit(code)
    return code


def _is_spec_error(exc: Exception) -> bool:
    """A ``SpecError`` exists only once the spec stage is imported: look it up there, so
    that ``--help`` need not import the stage."""
    spec = sys.modules.get("openai_conformance.spec")
    return spec is not None and isinstance(exc, spec.SpecError)


def _error(line: str) -> None:
    sys.stderr.write(f"openai-conformance: {line}\n")


if __name__ == "__main__":  # pragma: no cover
    main()
