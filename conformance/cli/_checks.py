"""``openai-conformance checks``: the catalogue, one line each."""

from __future__ import annotations

import argparse
import json
from typing import Any

from ..checks._base import SOURCES
from ..results import ExitCode


def add_parser(sub: Any) -> None:
    parser = sub.add_parser("checks", help="list the checks, their sources and what each asserts")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from ..checks import CHECKS

    ordered = sorted(CHECKS, key=lambda c: SOURCES.index(c.source))
    if args.format == "json":
        print(
            json.dumps([{"name": c.name, "source": c.source, "description": c.description} for c in ordered], indent=2)
        )
        return ExitCode.OK
    width = max(len(c.name) for c in ordered)
    for check in ordered:
        print(f"{check.name:<{width}}  {check.source:<10}  {check.description}")
    return ExitCode.OK
