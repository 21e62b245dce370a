"""``openai-conformance replay RESULTS.json ID``: send a finding's request again and run its check.

ID is a finding id (``f-0003``) or a bug fingerprint (its smallest kept case is sent).
The target is ``--base-url``, else the run's own; a run against the embedded server
starts that server again with the same spec and faults. Exit 0: the bug is gone; 1: it is not.
"""

from __future__ import annotations

import argparse
import os
from contextlib import ExitStack
from typing import Any

from .._errors import TargetUnreachable, UsageError
from ..results import ExitCode, Finding, RunResult, SpecInfo

# Checks the runner applies itself (no per-response function), and how a replay judges them.
_WHOLE_REQUEST = ("transport", "auth_required", "positive_accepted")


def add_parser(sub: Any) -> None:
    parser = sub.add_parser(
        "replay",
        help="send a finding's request again and run its check (exit 0 if the bug is gone, 1 if not)",
        description="Re-send the request of one finding of a saved run (by finding id, or by bug "
        "fingerprint: its smallest case) and apply the same check to the answer.",
    )
    parser.add_argument("results", metavar="RESULTS.json", help="a run's results.json")
    parser.add_argument("id", metavar="ID", help="a finding id (f-0003) or a bug fingerprint")
    parser.add_argument(
        "--base-url", default=None, help="the target (default: the run's; its embedded server is started again)"
    )
    parser.add_argument("--api-key", default=None, help="the key to send (env OPENAI_API_KEY); never written anywhere")
    parser.add_argument("--timeout", type=float, default=10.0, help="total seconds for the request (default 10)")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from openai_conformance.reports import ReportError, load_results

    try:
        result = load_results(args.results)
    except ReportError as exc:
        raise UsageError(str(exc)) from None
    finding = pick_finding(result, args.id)
    case_document = finding.request.get("case")
    if not case_document:
        raise UsageError(
            f"finding {finding.id} kept no case to send (over 32 KB, past the first 5 of its bug, or saved before replay existed): replay its bug by fingerprint"
        )
    with ExitStack() as stack:
        gone, line = replay(
            result,
            finding,
            stack,
            base_url=args.base_url,
            api_key=args.api_key or os.environ.get("OPENAI_API_KEY"),
            timeout=args.timeout,
        )
    print(f"{finding.id} {finding.check} · {finding.operation_id or '(run)'}: {line}")
    return ExitCode.OK if gone else ExitCode.FINDINGS


def pick_finding(result: RunResult, wanted: str) -> Finding:
    """The finding of that id, or of that fingerprint the one with the smallest kept case."""
    findings = result.findings
    by_id = [f for f in findings if f.id == wanted]
    if by_id:
        return by_id[0]
    of_bug = [f for f in findings if f.fingerprint == wanted]
    if not of_bug:
        raise UsageError(f"no finding or bug {wanted!r} in the results ({len(findings)} findings)")
    kept = [f for f in of_bug if f.request.get("case")] or of_bug
    return min(kept, key=lambda f: len(f.curl or ""))


def replay(
    result: RunResult, finding: Finding, stack: ExitStack, *, base_url: str | None, api_key: str | None, timeout: float
) -> tuple[bool, str]:
    """Send the finding's case to the target and judge the answer: (gone, one line saying why)."""
    from openai_conformance.spec import load_spec

    from ..engine._collect import case_from_document
    from ..engine._compose import Choices, prepare_run

    target = result.target
    reference = base_url is None and target.reference_server
    choices = Choices(
        base_url=None if reference else base_url or target.base_url,
        api_key=api_key,
        timeout=timeout,
        faults=tuple(target.faults) if reference else (),
        strict_spec=result.spec.strict,
    )
    spec = _load(load_spec, result.spec)
    prepared = prepare_run(choices, spec, stack)
    case = case_from_document(finding.request["case"])
    return judge_again(prepared, finding, case)


def _load(load_spec: Any, info: SpecInfo) -> Any:
    """The run's spec: where it was read from, else the shipped document of that name."""
    try:
        return load_spec(info.location)
    except Exception:  # noqa: BLE001 - a moved file: the shipped name may still be there
        return load_spec(info.name)


def judge_again(prepared: Any, finding: Finding, case: Any) -> tuple[bool, str]:
    """Send ``case`` as the run did (same auth) and apply the finding's check to the answer."""
    from ..checks import CHECKS
    from ..checks._base import CheckContext
    from ..engine._policy import refused_as_invalid
    from ..engine._probe import unknown_route_operation
    from ..engine._runner import RunOptions
    from ..engine._session import USE_KEY, TransportError
    from ..results._tally import fingerprint

    session, check = prepared.session, finding.check
    if check not in CHECKS:
        raise UsageError(f"finding {finding.id}: unknown check {check!r}")
    if check == "differs_from_reference":
        raise UsageError(f"{check} compares two targets: run again with --compare-to to see whether it is gone")
    if CHECKS[check].function is None and check not in _WHOLE_REQUEST:
        raise UsageError(f"{check} is judged over a workflow of requests, not one: run the operations again")
    auth = {"key": USE_KEY, "none": None, "wrong": RunOptions().wrong_key}[finding.request["case"]["auth"]]
    try:
        _, response = session.send(case, auth=auth)
    except TransportError as exc:
        if check != "transport":  # no answer to judge: not a verdict on the bug
            raise TargetUnreachable(f"{session.base_url}: {exc}") from None
        return False, f"still there: no usable response: {exc}"
    if check == "transport":
        return True, f"gone: answered {response.status}"
    if check == "auth_required":
        return (
            response.status == 401,
            f"{'gone' if response.status == 401 else 'still there'}: answered {response.status}",
        )
    if check == "positive_accepted":
        refused = refused_as_invalid(case, response)
        return not refused, f"{'still there' if refused else 'gone'}: answered {response.status}"
    op = prepared.spec.operation(case.operation_id) if case.operation_id else unknown_route_operation(case.path)
    ctx = CheckContext(prepared.spec, op, case, response, extra={"fetch": prepared.runner().fetch})
    registered = CHECKS[check]
    failures = list(registered.function(ctx)) if registered.applies(ctx) else []  # type: ignore[misc]
    same = [f for f in failures if fingerprint(check, op.operation_id, f) == finding.fingerprint]
    if same:
        return False, f"still there: {same[0].message}: expected {same[0].expected}, got {same[0].got}"
    if failures:
        return False, f"the check still fails, another way: {failures[0].message}"
    return True, f"gone: answered {response.status}, the check passes"
