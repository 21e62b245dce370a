"""``openai-conformance proxy``: forward real traffic to an upstream and check every exchange."""

from __future__ import annotations

import argparse
import signal
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._errors import UsageError
from ._run import DEFAULT_REPORT_DIR, FORMATS, _csv, _signals_held

if TYPE_CHECKING:
    from ..results import RunResult


def add_parser(sub: Any) -> None:
    parser = sub.add_parser(
        "proxy",
        help="forward real traffic to an upstream and check every exchange like a run",
        description="An HTTP proxy: point your application or the official SDK at it. Every request "
        "goes to --upstream as it is, every answer comes back as it is (streams as they come), and "
        "each exchange is checked with the catalogue of 'run'. Reports are brought up to date every "
        "--flush-every seconds and on Ctrl-C or SIGTERM.",
    )
    parser.add_argument(
        "--upstream", required=True, metavar="URL", help="the API's base URL, e.g. https://api.openai.com/v1"
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="port to listen on (default 8080; 0: a free one)")
    parser.add_argument("--spec", default=None, metavar="NAME|PATH|URL", help="spec document (default openai-1.1.0)")
    parser.add_argument("--strict-spec", action="store_true", help="do not apply the errata overlay of known spec bugs")
    parser.add_argument("--checks", default="", help="comma-separated check names (default all; see 'checks')")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds the upstream may stay silent (default 30)")
    parser.add_argument(
        "--deadline", type=float, default=300.0, help="seconds for a whole exchange, stream included (default 300)"
    )
    parser.add_argument(
        "--report-dir", default=DEFAULT_REPORT_DIR, help=f"where reports go (default ./{DEFAULT_REPORT_DIR})"
    )
    parser.add_argument("--formats", default=",".join(FORMATS), help="comma-separated report formats")
    parser.add_argument(
        "--flush-every",
        type=float,
        default=10.0,
        metavar="S",
        help="write the reports every S seconds when something changed (default 10; 0: only at the end)",
    )
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from openai_conformance.reports import REPORTERS, write_reports
    from openai_conformance.spec import DEFAULT_SPEC, apply_errata, load_spec

    from ..checks import CHECKS
    from ..proxy import ProxyOptions, ProxyRunOptions, proxy_in_thread

    _check_args(args, set(CHECKS.names()), set(REPORTERS))
    spec = load_spec(args.spec or DEFAULT_SPEC)
    errata: list[str] = []
    if not args.strict_spec:
        spec, applied = apply_errata(spec)
        errata = [e.id for e in applied]
    options = ProxyOptions(args.upstream, timeout=args.timeout, deadline=args.deadline)
    run_options = ProxyRunOptions(strict_spec=args.strict_spec, errata=tuple(errata), checks=_csv(args.checks))
    formats, folder = _csv(args.formats), Path(args.report_dir)
    written: dict[str, Path] = {}

    def write(result: RunResult) -> None:
        written.update(write_reports(result, folder, formats, stable=True))

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda signum, frame: stop.set())
    session = proxy_in_thread(
        spec,
        options,
        host=args.host,
        port=args.port,
        run_options=run_options,
        write=write,
        flush_every=args.flush_every,
    )
    try:
        running = session.__enter__()
    except OSError as exc:
        raise UsageError(f"cannot listen on {args.host}:{args.port}: {exc.strerror}") from None
    try:
        label = running.recorder.session.redactor.text(args.upstream)
        print(f"Proxying {running.base_url} -> {label} (Ctrl-C to stop; reports in {folder})", flush=True)
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass  # Ctrl-C is how a proxy session ends
    finally:
        with _signals_held():  # the last reports are written whole
            session.__exit__(None, None, None)  # stops, checks what is queued, writes the reports
    results = running.recorder.result()
    counters = results.counters
    print(f"{results.verdict.value.upper()}: {counters.requests} exchanges checked, {counters.findings} findings")
    for error in results.errors:
        print(f"note: {error}")
    for fmt, path in written.items():
        print(f"{fmt} report: {path}")
    return int(results.exit_code)


def _check_args(args: argparse.Namespace, checks: set[str], formats: set[str]) -> None:
    from urllib.parse import urlsplit

    upstream = urlsplit(args.upstream)
    if upstream.scheme not in ("http", "https") or not upstream.hostname:
        raise UsageError(f"--upstream must be an http(s) URL with a host (scheme given: {upstream.scheme!r})")
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port={args.port} is not a port number")
    if args.timeout <= 0 or args.deadline <= 0 or args.flush_every < 0:
        raise UsageError("--timeout and --deadline must be > 0, --flush-every >= 0")
    for option, given, known in (("--checks", _csv(args.checks), checks), ("--formats", _csv(args.formats), formats)):
        unknown = [name for name in given if name not in known]
        if unknown:
            raise UsageError(f"{option}: unknown name {unknown[0]!r} (known: {', '.join(sorted(known))})")
