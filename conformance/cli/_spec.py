"""``openai-conformance spec lint|diff``: the spec stage's own commands.

``lint`` checks a document against itself; ``diff`` lists what changed
between two. Both only wire ``spec`` to output: the work is in ``spec._lint``
and ``spec._diff``, the diff renderers in ``spec._diff_render``.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from .._errors import UsageError
from ..results import ExitCode

DEFAULT_SPEC_NAME = "openai-1.1.0"  # spec.DEFAULT_SPEC, not imported: --help stays quick (a test holds them equal)


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser("spec", help="lint one OpenAPI document or diff two")
    parser.set_defaults(handler=_no_action)
    actions = parser.add_subparsers(dest="spec_command", metavar="ACTION", parser_class=type(parser))

    lint_parser = actions.add_parser(
        "lint", help="check a document against itself (examples, defaults, oneOf, formats)"
    )
    lint_parser.add_argument(
        "spec",
        nargs="?",
        default=DEFAULT_SPEC_NAME,
        metavar="SPEC",
        help=f"a shipped name, a path or a URL (default: {DEFAULT_SPEC_NAME})",
    )
    lint_parser.add_argument("--format", choices=("text", "json"), default="text")
    lint_parser.set_defaults(handler=handle_lint)

    diff_parser = actions.add_parser("diff", help="every change between two documents")
    diff_parser.add_argument("old", metavar="OLD", help="a shipped name, a path or a URL")
    diff_parser.add_argument("new", metavar="NEW", help="a shipped name, a path or a URL")
    diff_parser.add_argument("--format", choices=("text", "markdown", "json", "html"), default="text")
    diff_parser.add_argument(
        "--fail-on",
        choices=("breaking", "client", "server", "none"),
        default="breaking",
        help="exit 1 on a change breaking for anyone (breaking), for clients, for servers, or never",
    )
    diff_parser.set_defaults(handler=handle_diff)


def _no_action(args: argparse.Namespace) -> int:
    raise UsageError("spec needs an action: lint or diff")


def handle_lint(args: argparse.Namespace) -> int:
    from openai_conformance.spec import load_spec
    from openai_conformance.spec._lint import lint, lint_summary

    spec = load_spec(args.spec)
    findings = lint(spec)
    summary = lint_summary(findings)
    if args.format == "json":
        document = {"spec": spec.name, "version": spec.version, **summary, "findings": [f.to_dict() for f in findings]}
        sys.stdout.write(json.dumps(document, indent=2) + "\n")
    else:
        for f in findings:
            sys.stdout.write(f"{f.severity:<7} {f.kind:<19} {f.pointer}\n        {f.message}\n")
        sys.stdout.write(f"{spec.name} ({spec.version}): {summary['errors']} errors, {summary['warnings']} warnings\n")
    return ExitCode.FINDINGS if summary["errors"] else ExitCode.OK


def handle_diff(args: argparse.Namespace) -> int:
    from openai_conformance.spec import load_spec
    from openai_conformance.spec._diff import diff_specs
    from openai_conformance.spec._diff_render import RENDERERS

    old, new = load_spec(args.old), load_spec(args.new)
    result = diff_specs(old, new)
    sys.stdout.write(RENDERERS[args.format](result, old, new))
    failing = {
        "breaking": lambda c: c.breaking_for_client or c.breaking_for_server,
        "client": lambda c: c.breaking_for_client,
        "server": lambda c: c.breaking_for_server,
        "none": lambda c: False,
    }[args.fail_on]
    return ExitCode.FINDINGS if any(failing(c) for c in result.changes) else ExitCode.OK
