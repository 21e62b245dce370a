"""``openai-conformance run``: every operation, every mode, one target, reports written."""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import sys
from collections import Counter
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from ._errors import TargetUnreachable, UsageError

DEFAULT_REPORT_DIR = "conformance-report"
FORMATS = ("html", "json", "junit", "markdown")


def add_parser(sub: Any) -> None:
    parser = sub.add_parser(
        "run",
        help="run the conformance suite against a target (default: the embedded reference server)",
        description="Send generated, negative, example and stateful requests to a target and check "
        "every response. With no --base-url (and no OPENAI_BASE_URL) the embedded reference server "
        "is started on a free loopback port and tested: no key, no network.",
    )
    target = parser.add_argument_group("target")
    target.add_argument("--base-url", default=os.environ.get("OPENAI_BASE_URL"), help="the API's base URL, e.g. https://api.openai.com/v1 (env OPENAI_BASE_URL)")
    target.add_argument("--api-key", default=None, help="the key to send (env OPENAI_API_KEY); never written anywhere")
    target.add_argument("--timeout", type=float, default=10.0, help="total seconds per request, streams included (default 10)")
    target.add_argument("--fault", action="append", default=[], metavar="NAME", help="with the reference server: switch on a named fault (see 'serve --list-faults')")
    what = parser.add_argument_group("what to run")
    what.add_argument("--spec", action="append", default=None, metavar="NAME|PATH|URL", help="spec document (default openai-1.1.0)")
    what.add_argument("--operations", default="", help="comma-separated operation ids")
    what.add_argument("--tags", default="", help="comma-separated tags")
    what.add_argument("--include-deprecated", action=argparse.BooleanOptionalAction, default=None, help="test deprecated operations (default: only on the reference server)")
    what.add_argument("--modes", default="positive,negative,examples,stateful", help="comma-separated: positive, negative, examples, stateful")
    what.add_argument("--checks", default="", help="comma-separated check names (default all; see 'checks')")
    what.add_argument("--max-examples", type=int, default=20, help="generated cases per operation and mode (default 20)")
    what.add_argument("--seed", type=int, default=0, help="seed of the generated cases (default 0)")
    what.add_argument("--strict-spec", action="store_true", help="do not apply the errata overlay of known spec bugs")
    what.add_argument("--workers", type=int, default=2, help="concurrent requests; checks still run in order (default 2)")
    budget = parser.add_argument_group("budget and safety (on by default for non-loopback targets)")
    budget.add_argument("--max-requests", type=int, default=None, help="stop after this many requests (default: 2000 for non-loopback targets)")
    budget.add_argument("--budget", choices=("auto", "on", "off"), default="auto", help="caps on max_tokens, n, best_of, prompts, images (auto: on for non-loopback)")
    budget.add_argument("--allow-destructive", action="store_true", help="allow deletes and cancels on objects the run did not create")
    out = parser.add_argument_group("output")
    out.add_argument("--report-dir", default=DEFAULT_REPORT_DIR, help=f"where reports go (default ./{DEFAULT_REPORT_DIR})")
    out.add_argument("--formats", default=",".join(FORMATS), help="comma-separated report formats")
    out.add_argument("--quiet", action="store_true", help="no progress display")
    parser.set_defaults(handler=handle)


def _csv(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def handle(args: argparse.Namespace) -> int:
    from openai_conformance.spec import load_spec

    modes = _csv(args.modes)
    unknown = set(modes) - {"positive", "negative", "examples", "stateful"}
    if unknown:
        raise UsageError(f"--modes: unknown mode {sorted(unknown)[0]!r} (positive, negative, examples, stateful)")
    if args.max_examples < 0 or args.timeout <= 0 or not 1 <= args.workers <= 32:
        raise UsageError("--max-examples must be >= 0, --timeout > 0 and --workers 1 to 32")
    _check_arguments(args)
    if args.fault and args.base_url:
        raise UsageError("--fault switches faults of the embedded reference server: drop --base-url")
    specs = [load_spec(location) for location in (args.spec or ["openai-1.1.0"])]
    api_key = args.api_key or os.environ.get("OPENAI_API_KEY")
    _check_names(args, specs, api_key)
    signal.signal(signal.SIGTERM, _interrupt)
    runs = []
    for spec in specs:
        # Each version gets its own reference server, stopped before the next starts.
        with ExitStack() as stack:
            results = _run_one(args, spec, modes, api_key, stack)
        runs.append((spec, results))
        if results["run"]["verdict"] in ("interrupted", "unreachable"):
            break  # Ctrl-C stops the whole command; a dead target fails every version alike
    if len(runs) > 1:
        _write_versions(runs, args)
    return max(results["run"]["exit_code"] for _, results in runs)


def _check_arguments(args: argparse.Namespace) -> None:
    """Values refused before anything is loaded or sent (see ``_arguments``)."""
    from ._arguments import check_base_url, check_report_dir, check_timeout

    check_timeout(args.timeout)
    if args.base_url is not None:
        check_base_url(args.base_url)
    check_report_dir(args.report_dir)


def _check_names(args: argparse.Namespace, specs: list[Any], api_key: str | None) -> None:
    """Refuse, before anything is sent, names that would make a run test nothing."""
    from openai_conformance.reports import REPORTERS

    from .checks import CHECKS

    known = {
        "--checks": (_csv(args.checks), set(CHECKS.names())),
        "--formats": (_csv(args.formats), set(REPORTERS)),
        "--operations": (_csv(args.operations), {op.operation_id for spec in specs for op in spec.operations}),
        "--tags": (_csv(args.tags), {tag for spec in specs for op in spec.operations for tag in op.tags}),
    }
    for option, (given, names) in known.items():
        unknown = [name for name in given if name not in names]
        if unknown:
            raise UsageError(f"{option}: unknown name {unknown[0]!r} (known: {', '.join(sorted(names)[:12])}{', ...' if len(names) > 12 else ''})")
    if args.max_requests is not None and args.max_requests < 1:
        raise UsageError("--max-requests must be at least 1")
    if api_key is not None and not (api_key.isascii() and api_key.isprintable() and " " not in api_key):
        raise UsageError("the API key has characters an HTTP header cannot carry (spaces, newlines, non-ASCII)")


def _write_versions(runs: list[tuple[Any, dict[str, Any]]], args: argparse.Namespace) -> None:
    """The cross-version report of ``--spec A --spec B ...``, beside each version's own."""
    from openai_conformance.reports.versions import render_versions

    from ._versions import across_versions

    summary = across_versions(runs)
    folder = Path(args.report_dir)
    folder.mkdir(parents=True, exist_ok=True)
    stem = "versions_" + "_".join(v["name"] for v in summary["versions"])
    for fmt, extension in (("json", "json"), ("markdown", "md"), ("html", "html")):
        path = folder / f"{stem}.{extension}"
        path.write_text(render_versions(summary, fmt), encoding="utf-8")
        print(f"across versions ({fmt}): {path}")


def _run_one(args: argparse.Namespace, spec: Any, modes: tuple[str, ...], api_key: str | None, stack: ExitStack) -> dict[str, Any]:
    from openai_conformance.strategies import Caps

    from ._policy import is_loopback
    from ._runner import Runner, RunOptions
    from ._session import TargetSession

    base_url, reference = args.base_url, not args.base_url
    if reference:
        from .server import FAULTS, serve_in_subprocess

        bad = [f for f in args.fault if f not in FAULTS]
        if bad:
            raise UsageError(f"--fault: unknown fault {bad[0]!r} (see 'openai-conformance serve --list-faults')")
        api_key = "sk-oc-" + secrets.token_hex(16)
        server = stack.enter_context(serve_in_subprocess(spec=spec, faults=args.fault, api_keys=[api_key]))
        base_url = server.base_url
    paid = not is_loopback(base_url)
    budget = args.budget == "on" or (args.budget == "auto" and paid)
    spec, errata = _with_errata(spec, args.strict_spec)
    session = TargetSession(base_url, api_key=api_key, timeout=args.timeout, max_requests=args.max_requests or (2000 if paid else None))
    _check_reachable(session)
    options = RunOptions(
        max_examples=args.max_examples, seed=args.seed, operations=_csv(args.operations), tags=_csv(args.tags),
        include_deprecated=args.include_deprecated, modes=modes, caps=Caps.paid() if budget else None,
        allow_destructive=args.allow_destructive or reference,  # our own server: nothing to lose
        checks=_csv(args.checks), reference_server=reference,
        faults=tuple(args.fault), errata=tuple(errata), strict_spec=args.strict_spec,
        workers=args.workers,
    )
    from ._progress import Progress
    from ._results_doc import without_userinfo

    progress = Progress(quiet=args.quiet)
    label = "the reference server" if reference else session.redactor.text(without_userinfo(base_url))
    if not args.quiet:
        sys.stderr.write(f"openai-conformance: {spec.title} {spec.version} against {label}\n")
    runner = Runner(spec, session, options, progress)
    results = runner.run()
    progress.close()
    results["lint"] = _lint(spec)
    paths = _write_reports(results, args)
    _summary(results, paths)
    return results


def _with_errata(spec: Any, strict: bool) -> tuple[Any, list[str]]:
    if strict:
        return spec, []
    from openai_conformance.spec import apply_errata

    patched, applied = apply_errata(spec)
    return patched, [e.id for e in applied]


def _lint(spec: Any) -> list[dict[str, Any]]:
    from openai_conformance.spec import lint

    return [{"pointer": f.pointer, "message": f.message, "severity": f.severity, "kind": f.kind} for f in lint(spec)]


def _check_reachable(session: Any) -> None:
    from ._session import TransportError

    try:
        session.get(session.base_url + "/models")
    except TransportError as exc:
        if exc.timed_out:
            return  # slow, not gone: the runner gives up on it in bounded time, results written
        raise TargetUnreachable(f"{session.redactor.text(session.base_url)}: {exc}") from None


def _write_reports(results: dict[str, Any], args: argparse.Namespace) -> dict[str, Path]:
    from openai_conformance.reports import (
        write_reports,  # the CLI wires the last stage in; nothing else does
    )

    formats = _csv(args.formats)
    return write_reports(results, Path(args.report_dir), formats)


def _summary(results: dict[str, Any], paths: dict[str, Path]) -> None:
    findings = Counter(f["operation_id"] for f in results["findings"])
    rows = [o for o in results["operations"] if o["status"] != "skipped"]
    width = max([len(o["operation_id"]) for o in rows] + [9])
    print(f"{'operation':<{width}}  {'cases':>5}  {'findings':>8}  status")
    for op in rows:
        print(f"{op['operation_id']:<{width}}  {op['cases']:>5}  {findings[op['operation_id']]:>8}  {op['status']}")
    run, counters = results["run"], results["counters"]
    checks = Counter(f["check"] for f in results["findings"])
    print(
        f"\n{run['verdict'].upper()}: {counters['cases']} cases, {counters['requests']} requests, "
        f"{counters['findings']} findings, {counters['not_implemented']} not implemented, "
        f"{counters['rate_limited']} rate-limited, in {run['duration_s']:.1f} s (seed {run['seed']})"
    )
    if checks:
        print("failed checks: " + ", ".join(f"{name} ({n})" for name, n in checks.most_common()))
    for error in results["errors"]:
        print(f"error: {error}")
    for fmt, path in paths.items():
        print(f"{fmt} report: {path}")


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt
