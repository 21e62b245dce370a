"""``openai-conformance run``: every operation, every mode, one target, reports written."""

from __future__ import annotations

import argparse
import signal
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._errors import UsageError
from ..engine._policy import MODES
from ..results import ExitCode, RunResult, Verdict
from ._colour import CHOICES, Painter, wants_colour
from ._config import DEFAULTS
from ._summary import print_summary

if TYPE_CHECKING:
    from ..engine._compose import Choices

# The defaults live in one table (``_config.DEFAULTS``), which the settings merge fills in.
DEFAULT_REPORT_DIR: str = DEFAULTS["report_dir"]
FORMATS: tuple[str, ...] = tuple(DEFAULTS["formats"].split(","))


def add_parser(sub: Any) -> None:
    parser = sub.add_parser(
        "run",
        help="run the conformance suite against a target (default: the embedded reference server)",
        description="Send generated, negative, example and stateful requests to a target and check "
        "every response. With no --base-url (and no OPENAI_BASE_URL) the embedded reference server "
        "is started on a free loopback port and tested: no key, no network.",
        epilog="Settings come from the command line, then openai-conformance.toml or the "
        "[tool.openai-conformance] table of pyproject.toml in the current folder (keys are the long "
        "options: max-examples = 50), then the environment (OPENAI_BASE_URL, OPENAI_API_KEY), then the "
        "defaults. The key comes only from the environment or --api-key. --print-config shows the result.",
    )
    target = parser.add_argument_group("target")
    target.add_argument(
        "--base-url",
        default=None,
        help="the API's base URL, e.g. https://api.openai.com/v1 (default: env OPENAI_BASE_URL, as the SDKs read it; without either, the embedded reference server)",
    )
    target.add_argument("--api-key", default=None, help="the key to send (env OPENAI_API_KEY); never written anywhere")
    target.add_argument(
        "--header",
        action="append",
        default=None,
        metavar="'NAME: VALUE'",
        help="a header sent on every request, e.g. a gateway's tenant or routing header (repeatable; values are redacted in every output)",
    )
    target.add_argument(
        "--timeout", type=float, default=None, help="total seconds per request, streams included (default 10)"
    )
    target.add_argument(
        "--compare-to",
        default=None,
        metavar="URL",
        help="also send every positive, negative and example case (deletes and cancels aside), unchanged, to this base URL (the upstream behind a gateway, or a reference) and report differences that matter as differs_from_reference findings (status class, error or success, checks' verdicts, keys); --header values are not sent there",
    )
    target.add_argument(
        "--compare-key",
        default=None,
        help="the key for --compare-to (env OPENAI_CONFORMANCE_COMPARE_KEY; default: the target's key); never written anywhere",
    )
    target.add_argument(
        "--fault",
        action="append",
        default=None,
        metavar="NAME",
        help="with the reference server: switch on a named fault (see 'serve --list-faults')",
    )
    what = parser.add_argument_group("what to run")
    what.add_argument(
        "--spec", action="append", default=None, metavar="NAME|PATH|URL", help="spec document (default openai-1.1.0)"
    )
    what.add_argument(
        "--model",
        action="append",
        default=None,
        metavar="ID|KIND=ID",
        help="the model cases use (repeatable; KIND is chat, completion, embedding, image or moderation; default: models the spec names that the target lists)",
    )
    what.add_argument("--operations", default=None, help="comma-separated operation ids")
    what.add_argument("--tags", default=None, help="comma-separated tags")
    what.add_argument(
        "--include-deprecated",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="test deprecated operations (default: only on the reference server)",
    )
    what.add_argument(
        "--modes", default=None, help="comma-separated: positive, negative, examples, stateful (default all four)"
    )
    what.add_argument("--checks", default=None, help="comma-separated check names (default all; see 'checks')")
    what.add_argument(
        "--exclude-checks",
        default=None,
        help="comma-separated check names to skip (e.g. auth_required for a local server without keys)",
    )
    what.add_argument(
        "--max-examples", type=int, default=None, help="generated cases per operation and mode (default 20)"
    )
    what.add_argument("--seed", type=int, default=None, help="seed of the generated cases (default 0)")
    what.add_argument(
        "--strict-spec", action="store_true", default=None, help="do not apply the errata overlay of known spec bugs"
    )
    what.add_argument(
        "--workers", type=int, default=None, help="concurrent requests; checks still run in order (default 2)"
    )
    what.add_argument(
        "--shard",
        default=None,
        metavar="I/N",
        help="run slice I of N (by operation, mode and case index; 'report merge' joins the slices' results.json)",
    )
    what.add_argument(
        "--shrink",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="look for the smallest request that still shows each bug, up to 30 requests a bug, counted in --max-requests (default on)",
    )
    budget = parser.add_argument_group("budget and safety (on by default for non-loopback targets)")
    budget.add_argument(
        "--max-requests",
        type=int,
        default=None,
        help="stop after this many requests (default: 2000 for non-loopback targets)",
    )
    budget.add_argument(
        "--max-time",
        type=float,
        default=None,
        metavar="SECONDS",
        help="stop sending after this many seconds for the whole run; what is in flight finishes (up to --timeout more), the reports are written and the verdict is 'incomplete' unless something was found",
    )
    budget.add_argument(
        "--budget",
        choices=("auto", "on", "off"),
        default=None,
        help="caps on max_tokens, n, best_of, prompts, images (auto: on for non-loopback)",
    )
    budget.add_argument(
        "--allow-destructive",
        action="store_true",
        default=None,
        help="allow deletes and cancels on objects the run did not create",
    )
    out = parser.add_argument_group("output")
    out.add_argument("--report-dir", default=None, help=f"where reports go (default ./{DEFAULT_REPORT_DIR})")
    out.add_argument("--formats", default=None, help=f"comma-separated report formats (default {','.join(FORMATS)})")
    out.add_argument(
        "--keep-history",
        action="store_true",
        default=None,
        help="also keep a timestamped copy of each run's reports in REPORT_DIR/history/ (default: only the stable names results.json, report.html, junit.xml, summary.md)",
    )
    out.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        default=None,
        help="print only the verdict line and errors (no progress, table, bugs or report paths)",
    )
    out.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        default=None,
        help="also print, on stderr, each operation as it finishes and each new bug as it is found (on a terminal or in a CI log)",
    )
    out.add_argument(
        "--color",
        choices=CHOICES,
        default=None,
        help="colour the verdict and bug headers: auto (default) on a terminal or with FORCE_COLOR, never with NO_COLOR; always; never",
    )
    out.add_argument(
        "--print-config",
        action="store_true",
        default=None,
        help="print the merged settings with where each came from (command line, config file, environment, default) and exit",
    )
    parser.set_defaults(handler=handle)


def _csv(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def _headers(given: list[str]) -> tuple[tuple[str, str], ...]:
    headers = []
    for item in given:
        name, colon, value = item.partition(":")
        name, value = name.strip(), value.strip()
        if not colon or not name or not all(c.isalnum() or c in "-_" for c in name) or not value.isprintable():
            raise UsageError(f"--header: expected 'Name: value', got {item.split(':')[0]!r}...")
        if name.lower() == "authorization":
            raise UsageError("--header: the key goes in OPENAI_API_KEY (or --api-key), not in a header")
        headers.append((name, value))
    return tuple(headers)


def choices_from_args(args: argparse.Namespace, api_key: str | None) -> Choices:
    """What the user chose at the command line, as every front door states it."""
    from ..engine._compose import Choices

    return Choices(
        base_url=args.base_url or None,
        api_key=api_key,
        headers=_headers(args.header),
        exclude_checks=_csv(args.exclude_checks),
        timeout=args.timeout,
        operations=_csv(args.operations),
        tags=_csv(args.tags),
        modes=_csv(args.modes),
        checks=_csv(args.checks),
        max_examples=args.max_examples,
        seed=args.seed,
        include_deprecated=args.include_deprecated,
        strict_spec=args.strict_spec,
        workers=args.workers,
        max_requests=args.max_requests,
        max_time=args.max_time,
        budget=args.budget,
        allow_destructive=args.allow_destructive,
        faults=tuple(args.fault),
        shrink=args.shrink,
        shard=_shard(args.shard),
        models=tuple(args.model),
        compare_to=args.compare_to or None,
        compare_key=args.compare_key or None,
    )


def _shard(text: str) -> tuple[int, int]:
    this, slash, count = text.partition("/")
    if not (slash and this.isdigit() and count.isdigit() and 1 <= int(this) <= int(count)):
        raise UsageError(f"--shard {text!r}: expected I/N with 1 <= I <= N, e.g. 2/3")
    return int(this), int(count)


def handle(args: argparse.Namespace) -> int:
    from openai_conformance.spec import load_spec
    from openai_conformance.strategies import keep_hypothesis_files_in_the_cache

    from ._arguments import check_spec
    from ._config import describe, merge

    args.sources = merge(args, Path.cwd())
    if args.print_config:
        print("\n".join(describe(args, args.sources)))
        return ExitCode.OK
    modes = _csv(args.modes)
    unknown = set(modes) - set(MODES)
    if unknown:
        raise UsageError(f"--modes: unknown mode {sorted(unknown)[0]!r} ({', '.join(MODES)})")
    if args.max_examples < 0 or args.timeout <= 0 or not 1 <= args.workers <= 32:
        raise UsageError("--max-examples must be >= 0, --timeout > 0 and --workers 1 to 32")
    if args.max_time is not None and not args.max_time > 0:  # not: NaN is no time either
        raise UsageError(f"--max-time must be a number of seconds > 0, got {args.max_time:g}")
    _one_loudness(args)
    keep_hypothesis_files_in_the_cache()  # nothing of ours in the user's folder but the reports
    if args.color not in CHOICES:  # a config file's value has not met argparse's choices
        raise UsageError(f"--color: expected one of {', '.join(CHOICES)}, got {args.color!r}")
    _check_arguments(args)
    if args.fault and args.base_url:
        raise UsageError("--fault switches faults of the embedded reference server: drop --base-url")
    specs = [check_spec(load_spec(location)) for location in args.spec]
    api_key = args.api_key
    _check_names(args, specs, api_key)
    choices = choices_from_args(args, api_key)
    signal.signal(signal.SIGTERM, _interrupt)
    runs: list[tuple[Any, RunResult]] = []
    ends_at = None if args.max_time is None else time.monotonic() + args.max_time
    for number, spec in enumerate(specs):
        if ends_at is not None and number:  # --max-time is for the whole command, every version included
            left = ends_at - time.monotonic()
            if left <= 0:
                names = ", ".join(s.name for s in specs[number:])
                sys.stderr.write(f"openai-conformance: --max-time {args.max_time:g} s spent: {names} not run\n")
                break
            choices = replace(choices, max_time=left)
        # Each version gets its own reference server, stopped before the next starts.
        with ExitStack() as stack:
            # One spec: reports straight in --report-dir; several: a folder each, by spec name.
            folder = Path(args.report_dir) / spec.name if len(specs) > 1 else Path(args.report_dir)
            results = _run_one(args, choices, spec, stack, folder)
        runs.append((spec, results))
        if results.verdict in (Verdict.INTERRUPTED, Verdict.UNREACHABLE):
            break  # Ctrl-C stops the whole command; a dead target fails every version alike
    if len(runs) > 1:
        _write_versions(runs, args)
    return max(results.exit_code for _, results in runs)


def _one_loudness(args: argparse.Namespace) -> None:
    """--quiet and --verbose together: the command line's wins over the file's, else refuse."""
    if not (args.quiet and args.verbose):
        return
    if args.sources["quiet"] == args.sources["verbose"]:
        raise UsageError("--quiet and --verbose: choose one")
    loser = "quiet" if args.sources["verbose"] == "command line" else "verbose"
    setattr(args, loser, False)


def _check_arguments(args: argparse.Namespace) -> None:
    """Values refused before anything is loaded or sent (see ``_arguments``)."""
    from ._arguments import check_base_url, check_report_dir, check_timeout

    check_timeout(args.timeout)
    if args.base_url is not None:
        check_base_url(args.base_url)
    if args.compare_to is not None:
        check_base_url(args.compare_to, "--compare-to")
    check_report_dir(args.report_dir)


def _check_names(args: argparse.Namespace, specs: list[Any], api_key: str | None) -> None:
    """Refuse, before anything is sent, names that would make a run test nothing."""
    from openai_conformance.reports import REPORTERS

    from ..checks import CHECKS

    known = {
        "--checks": (_csv(args.checks), set(CHECKS.names())),
        "--exclude-checks": (_csv(args.exclude_checks), set(CHECKS.names())),
        "--formats": (_csv(args.formats), set(REPORTERS)),
        "--operations": (_csv(args.operations), {op.operation_id for spec in specs for op in spec.operations}),
        "--tags": (_csv(args.tags), {tag for spec in specs for op in spec.operations for tag in op.tags}),
    }
    for option, (given, names) in known.items():
        unknown = [name for name in given if name not in names]
        if unknown:
            raise UsageError(
                f"{option}: unknown name {unknown[0]!r} (known: {', '.join(sorted(names)[:12])}{', ...' if len(names) > 12 else ''})"
            )
    if args.max_requests is not None and args.max_requests < 1:
        raise UsageError("--max-requests must be at least 1")
    for name, key in (("the API key", api_key), ("the --compare-to key", args.compare_key)):
        if key is not None and not (key.isascii() and key.isprintable() and " " not in key):
            raise UsageError(f"{name} has characters an HTTP header cannot carry (spaces, newlines, non-ASCII)")


def _write_versions(runs: list[tuple[Any, RunResult]], args: argparse.Namespace) -> None:
    """The cross-version report of ``--spec A --spec B ...``, beside each version's own."""
    from openai_conformance.reports.versions import render_versions

    from ..engine._versions import across_versions

    summary = across_versions(runs)
    folder = Path(args.report_dir)
    folder.mkdir(parents=True, exist_ok=True)
    for fmt, extension in (("json", "json"), ("markdown", "md"), ("html", "html")):
        path = folder / f"versions.{extension}"
        path.write_text(render_versions(summary, fmt), encoding="utf-8")
        if not args.quiet:
            print(f"across versions ({fmt}): {path}")


def _run_one(args: argparse.Namespace, choices: Choices, spec: Any, stack: ExitStack, folder: Path) -> RunResult:
    from ..engine._collect import without_userinfo
    from ..engine._compose import prepare_run
    from ..engine._progress import Progress

    prepared = prepare_run(choices, spec, stack)
    session = prepared.session
    progress = Progress(quiet=args.quiet, verbose=args.verbose, max_time=choices.max_time)
    source = args.sources["base_url"]
    label = (
        "the reference server"
        if prepared.reference
        else f"{session.redactor.text(without_userinfo(session.base_url))} (from {source})"
    )
    if prepared.compare_to is not None:
        label += f", compared with {prepared.compare_to.session.redactor.text(without_userinfo(prepared.compare_to.session.base_url))}"
    if not args.quiet:
        sys.stderr.write(f"openai-conformance: {spec.title} {spec.version} against {label}\n")
    runner = prepared.runner(progress)
    progress.watch(runner.ledger.findings)
    results = runner.run()
    progress.close()
    # The lint of the document as loaded: the errata overlay would hide what it fixes.
    results = results.with_lint(_lint(spec))
    with _signals_held():
        paths = _write_reports(results, folder, args)
    painter = Painter(wants_colour(args.color, sys.stdout))
    print_summary(results, paths, quiet=args.quiet, painter=painter)
    if results.verdict is Verdict.UNREACHABLE and results.errors:
        sys.stderr.write(f"openai-conformance: {results.errors[-1]}\n")
    return results


def _lint(spec: Any) -> list[dict[str, Any]]:
    from openai_conformance.spec import lint

    return [{"pointer": f.pointer, "message": f.message, "severity": f.severity, "kind": f.kind} for f in lint(spec)]


@contextmanager
def _signals_held() -> Iterator[None]:
    """Write the results whole: a second SIGTERM (``timeout`` signals the process, then its
    group) or a Ctrl-C must not cut the file that says what the run found."""
    held = {sig: signal.signal(sig, signal.SIG_IGN) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, handler in held.items():
            signal.signal(sig, handler)


def _write_reports(results: RunResult, folder: Path, args: argparse.Namespace) -> dict[str, Path]:
    """The stable names (results.json, report.html, junit.xml, summary.md), and with
    --keep-history a timestamped copy in history/ too."""
    from openai_conformance.reports import write_reports  # the CLI wires the last stage in; nothing else does

    formats = _csv(args.formats)
    if args.keep_history:
        write_reports(results, folder / "history", formats)
    return write_reports(results, folder, formats, stable=True)


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt
