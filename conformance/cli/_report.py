"""``openai-conformance report``: re-render a saved results document, or diff two of them.

    openai-conformance report RUN.json --format html [--output PATH]
    openai-conformance report diff OLD.json NEW.json [--format text|markdown|html] [--output PATH]

Rendering needs the saved JSON alone. ``diff`` exits 1 when the new run has a regression.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .._errors import UsageError
from ..results import ExitCode


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "report",
        help="re-render a saved run, diff two runs, or merge the slices of a sharded run",
        description="Render RUN.json again in another format, compare two runs with "
        "'report diff OLD.json NEW.json' (exit 1 when NEW has findings OLD did not), or join the "
        "results of 'run --shard I/N' slices with 'report merge A.json B.json ... -o DIR' "
        "(writes results.json, report.html, junit.xml, summary.md; exits as the joined run would).",
    )
    parser.add_argument("inputs", nargs="+", metavar="RUN.json | diff OLD.json NEW.json | merge A.json B.json ...")
    parser.add_argument(
        "--format",
        "-f",
        default=None,
        help="report: html, json, junit, markdown (default html); diff: text, markdown, html (default text)",
    )
    parser.add_argument(
        "--output",
        "-o",
        type=Path,
        default=None,
        help="file to write (a directory gets the run's default file name); default stdout",
    )
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from openai_conformance.reports import ReportError

    try:
        if args.inputs[0] == "diff":
            return _diff(args)
        if args.inputs[0] == "merge":
            return _merge(args)
        return _render(args)
    except ReportError as exc:
        raise UsageError(str(exc)) from None
    except RecursionError:
        from ._arguments import TOO_DEEP

        raise UsageError(TOO_DEEP) from None


def _render(args: argparse.Namespace) -> int:
    from openai_conformance.reports import REPORTERS, load_results, render, report_stem

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
    return ExitCode.OK


def _diff(args: argparse.Namespace) -> int:
    from openai_conformance.reports import DIFF_FORMATS, diff_runs, load_results, render_diff

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
    return ExitCode.FINDINGS if diff.has_regressions else ExitCode.OK


def _merge(args: argparse.Namespace) -> int:
    from openai_conformance.reports import load_results, write_reports

    from ..results._merge import merge_results

    if len(args.inputs) < 3 or args.output is None:
        raise UsageError("report merge takes two or more results files and -o DIR")
    slices = [load_results(path) for path in args.inputs[1:]]
    # The embedded server listens on a new port each run: its slices share no base URL.
    targets = {
        (s.spec.sha256, s.run.seed, "reference" if s.target.reference_server else s.target.base_url) for s in slices
    }
    if len(targets) > 1:
        raise UsageError("report merge: the slices are not of one run (spec, seed or target differ)")
    merged = merge_results(slices)
    for fmt, path in write_reports(merged, args.output, stable=True).items():
        print(f"{fmt} report: {path}", file=sys.stderr)
    return merged.exit_code


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
