"""``openai-conformance``: the command line. It only wires the stages together.

Each subcommand lives in its own ``_cli_<name>.py`` module with ``add_parser``
and ``handle``; this module parses, dispatches, and turns the suite's own
errors into one line and an exit code, in one place.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from openai_conformance.spec import SpecError

from ._errors import ConformanceToolError, UsageError
from .redact import Redactor
from .results import SUITE_VERSION, ExitCode

# Every subcommand, with its module: each has ``add_parser`` and a handler.
COMMANDS = {
    "run": "._cli_run",
    "checks": "._cli_checks",
    "serve": "._cli_serve",
    "spec": "._cli_spec",
    "report": "._cli_report",
    "proxy": "._cli_proxy",
}
EXIT_CODES = (
    f"{ExitCode.OK} conformant (or incomplete: the --max-requests budget spent, no finding), "
    f"{ExitCode.FINDINGS} findings or operations not implemented, {ExitCode.USAGE} usage or spec error, "
    f"{ExitCode.UNREACHABLE} target unreachable, {ExitCode.INTERNAL} internal error (a bug of ours; "
    f"results say which step), {ExitCode.INTERRUPTED} interrupted (cleanup done, results so far written)"
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="openai-conformance",
        description="Contract testing and spec conformance for the OpenAI REST API "
        "and every server, mock, proxy or gateway that claims to speak it.",
        epilog=f"Exit codes: {EXIT_CODES}. Run 'openai-conformance COMMAND --help' for more.",
    )
    parser.add_argument("--version", action="version", version=f"openai-conformance {SUITE_VERSION}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for module in COMMANDS.values():
        importlib.import_module(module, __package__).add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns (and exits with) the exit code."""
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        if not getattr(args, "handler", None):
            parser.print_help()
            return ExitCode.USAGE
        code = int(args.handler(args))
    except SpecError as exc:
        _error(f"spec error: {exc}")
        code = ExitCode.USAGE
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
        if os.environ.get("OPENAI_CONFORMANCE_DEBUG"):
            raise
        message = Redactor().text(f"{type(exc).__name__}: {exc}".splitlines()[0])
        _error(f"internal error: {message} (set OPENAI_CONFORMANCE_DEBUG=1 for the traceback)")
        code = ExitCode.INTERNAL  # neither the target's fault nor the user's
    if argv is None:
        sys.exit(code)
    return code


def _error(line: str) -> None:
    sys.stderr.write(f"openai-conformance: {line}\n")


if __name__ == "__main__":  # pragma: no cover
    main()
