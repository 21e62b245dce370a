"""``openai-conformance report``: re-render a saved results document, or diff two of them.

    openai-conformance report RUN.json --format html [--output PATH]
    openai-conformance report diff OLD.json NEW.json [--format text|markdown|html] [--output PATH]

Rendering needs the saved JSON alone. ``diff`` exits 1 when the new run has a regression.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from openai_conformance.reports import (
    DIFF_FORMATS,
    REPORTERS,
    ReportError,
    diff_runs,
    load_results,
    render,
    render_diff,
    report_stem,
)

from ._errors import UsageError

EXIT_OK, EXIT_REGRESSION = 0, 1


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "report",
        help="re-render a saved run (html, json, junit, markdown) or diff two runs",
        description="Render RUN.json again in another format, or compare two runs with "
        "'report diff OLD.json NEW.json' (exit 1 when NEW has findings OLD did not).",
    )
    parser.add_argument("inputs", nargs="+", metavar="RUN.json | diff OLD.json NEW.json")
    parser.add_argument("--format", "-f", default=None,
                        help=f"report: {', '.join(REPORTERS)} (default html); "
                        f"diff: {', '.join(DIFF_FORMATS)} (default text)")
    parser.add_argument("--output", "-o", type=Path, default=None,
                        help="file to write (a directory gets the run's default file name); default stdout")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    try:
        if args.inputs[0] == "diff":
            return _diff(args)
        return _render(args)
    except ReportError as exc:
        raise UsageError(str(exc)) from None
    except RecursionError:
        from ._arguments import TOO_DEEP

        raise UsageError(TOO_DEEP) from None


def _render(args: argparse.Namespace) -> int:
    if len(args.inputs) != 1:
        raise UsageError("report takes one RUN.json (or: report diff OLD.json NEW.json)")
    fmt = args.format or "html"
    if fmt not in REPORTERS:
        raise UsageError(f"--format {fmt!r}: choose one of {', '.join(REPORTERS)}")
    results = load_results(args.inputs[0])
    output = args.output
    if output is not None and output.is_dir():
        output = output / f"{report_stem(results)}.{REPORTERS[fmt].extension}"
    _emit(render(results, fmt), output)
    return EXIT_OK


def _diff(args: argparse.Namespace) -> int:
    if len(args.inputs) != 3:
        raise UsageError("report diff takes two files: OLD.json NEW.json")
    fmt = args.format or "text"
    if fmt not in DIFF_FORMATS:
        raise UsageError(f"--format {fmt!r}: choose one of {', '.join(DIFF_FORMATS)}")
    diff = diff_runs(load_results(args.inputs[1]), load_results(args.inputs[2]))
    output = args.output
    if output is not None and output.is_dir():
        output = output / f"diff.{'md' if fmt == 'markdown' else fmt}"
    _emit(render_diff(diff, fmt), output)
    return EXIT_REGRESSION if diff.has_regressions else EXIT_OK


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from None
    print(f"wrote {output}", file=sys.stderr)
