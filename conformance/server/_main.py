"""The server's command line, shared by ``openai-conformance serve`` and
``python -m openai_conformance.server`` (which ``serve_in_subprocess`` starts)."""

from __future__ import annotations

import argparse
import os
import sys
import threading
from typing import TextIO

from openai_conformance.spec import DEFAULT_SPEC, load_spec

from ._app import create_app
from ._faults import FAULTS
from ._runner import KEYS_ENV, READY, bind, uvicorn_server


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8000, help="port (0: any free port)")
    parser.add_argument("--spec", default=DEFAULT_SPEC, help="shipped spec name, path or URL (default: %(default)s)")
    parser.add_argument(
        "--fault", action="append", default=[], metavar="NAME", help="switch a fault on (repeatable; see --list-faults)"
    )
    parser.add_argument(
        "--api-key",
        action="append",
        default=None,
        metavar="KEY",
        help="accept only this key (repeatable; default: any 'sk-...')",
    )
    parser.add_argument("--list-faults", action="store_true", help="list the faults and exit")


def fault_lines() -> list[str]:
    """One line per fault: name, the check that catches it, what it breaks."""
    width = max(len(name) for name in FAULTS)
    return [f"{f.name:<{width}}  {f.check or '-':<32} {f.description}" for f in FAULTS.values()]


def serve(args: argparse.Namespace, out: TextIO, *, announce: bool = False) -> int:
    """Serve until interrupted; with ``announce``, write the READY line with the port."""
    unknown = sorted(set(args.fault) - FAULTS.keys())
    if unknown:
        raise ValueError(f"unknown fault(s): {', '.join(unknown)} (see --list-faults)")
    keys = args.api_key
    if keys is None and os.environ.get(KEYS_ENV):
        keys = os.environ[KEYS_ENV].split("\n")
    app = create_app(load_spec(args.spec), faults=args.fault, api_keys=keys)
    sock = bind(args.host, args.port)
    server = uvicorn_server(app)
    port = sock.getsockname()[1]
    base = f"http://{args.host}:{port}{app.state.config.spec.base_path}"
    started = threading.Event()

    def tell_when_started() -> None:
        while not server.started and not server.should_exit:
            started.wait(0.01)
        if server.started:
            out.write(f"{READY} {port}\n" if announce else f"Serving {base} (Ctrl-C to stop)\n")
            out.flush()

    threading.Thread(target=tell_when_started, daemon=True).start()
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass  # uvicorn has shut down cleanly, then re-raised Ctrl-C: stopping is the normal end
    return 0


def _watch_stdin() -> None:
    """Exit when the parent's pipe closes: the parent died or stopped us."""
    sys.stdin.buffer.read()
    os._exit(0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m openai_conformance.server")
    add_arguments(parser)
    parser.add_argument("--watch-stdin", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.list_faults:
        sys.stdout.write("\n".join(fault_lines()) + "\n")
        return 0
    if args.watch_stdin:
        threading.Thread(target=_watch_stdin, daemon=True).start()
    return serve(args, sys.stdout, announce=args.watch_stdin)
