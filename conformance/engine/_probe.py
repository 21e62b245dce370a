"""Probes of the target as a whole: an unknown route, and a base path that serves nothing.

Neither belongs to an operation of the spec: an unknown route's answer is held to
the error convention (404, JSON, the ``{"error": …}`` envelope), and a run where
nearly every route is missing says which ``--base-url`` would have worked.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from openai_conformance.spec import Operation
from openai_conformance.spec import Response as DocumentedResponse
from openai_conformance.strategies import Case

from .._errors import TargetUnreachable
from ..checks import CHECKS
from ..checks._base import CheckContext
from ..results._tally import Failure
from ._policy import hash_text
from ._session import TargetSession, TransportError

if TYPE_CHECKING:
    from ..checks._base import Response
    from ._runner import Runner

UNKNOWN_ROUTE = "unknown_route"
PROBE_MODE = f"probe:{UNKNOWN_ROUTE}"  # the mode of its case and findings, as negative:<rule>
# The checks that hold an unknown route's answer to the convention: a 404 (status_code
# and server_error), as JSON (content_type), in the error envelope (error_envelope).
PROBE_CHECKS = ("server_error", "status_code", "content_type", "error_envelope")
MOSTLY_MISSING = 0.8  # this share of the operations that ran answered "no such route" ...
AT_LEAST = 3  # ... of at least this many: one missing operation says nothing of the base path


def unknown_route_operation(path: str) -> Operation:
    """A stand-in operation for a path no spec has: only a 404 is documented for it.

    Findings of the probe name no operation (``operation_id`` is ``""``).
    """
    missing = DocumentedResponse("404", "no such route", {})
    return Operation("", "GET", path, {}, "a path that cannot exist", (), False, (), None, {"404": missing}, None, "")


def probe_case(seed: int) -> Case:
    """The probe's request: a GET of a path that cannot exist under the base URL.

    The path follows the seed, as every other request of a run does: one seed, the same requests.
    """
    path = f"/openai-conformance-no-such-route-{hash_text(f'unknown_route|{seed}'):08x}"
    return Case("", "GET", path, mode=PROBE_MODE)


def probe_unknown_route(runner: Runner) -> None:
    """Send the probe once and record each convention check's verdict in ``runner.probes``."""
    if runner.options.shard[0] != 1:
        return  # once per run: the first slice of a sharded run probes for all
    case = probe_case(runner.options.seed)
    op = unknown_route_operation(case.path)
    try:
        prepared, response = runner.session.send(case)
    except TransportError as exc:
        runner.errors.append(f"unknown-route probe: {exc}")
        return
    record: dict[str, Any] = {
        "name": UNKNOWN_ROUTE,
        "method": case.method,
        "path": case.path,
        "status": response.status,
        "checks": {},
    }
    for name, failures in probe_failures(runner.spec, op, case, response).items():
        if name not in runner.ledger.selected:
            continue
        record["checks"][name] = {"passed": int(not failures), "failed": int(bool(failures))}
        for failure in failures:
            runner.ledger.finding(name, op, case, prepared, response, failure)
    runner.probes.append(record)


def probe_failures(spec: Any, op: Operation, case: Case, response: Response) -> dict[str, list[Any]]:
    """The failures of each convention check that applies to the probe's answer."""
    ctx = CheckContext(spec, op, case, response)
    found = {}
    for name in PROBE_CHECKS:
        check = CHECKS[name]
        if check.function is not None and check.applies(ctx):
            found[name] = list(check.function(ctx))
    return found


def suggest_base_url(runner: Runner) -> None:
    """When nearly every operation that ran is missing, say which base URL serves ``GET /models``."""
    if runner.options.reference_server:
        return
    ran = [t for t in runner.ledger.tallies.values() if t.status != "skipped" and t.valid_sent]
    missing = [t for t in ran if t.not_implemented]
    if len(ran) < AT_LEAST or len(missing) < MOSTLY_MISSING * len(ran):
        return
    base = runner.session.base_url.rstrip("/")
    alternatives = [base.removesuffix("/v1")] if base.endswith("/v1") else [base + "/v1"]
    share = f"{len(missing)} of {len(ran)} operations answered 'no such route'"
    for alternative in alternatives:
        if _serves_models(runner, alternative):
            runner.errors.append(
                f"{share}: the base path looks wrong; GET /models answers at "
                f"{alternative}: try --base-url {alternative}"
            )
            return
    tried = ", ".join(f"{a}/models" for a in alternatives)
    runner.errors.append(f"{share}; {tried} does not answer a model list either: is --base-url right?")


def _serves_models(runner: Runner, base: str) -> bool:
    """Whether ``GET {base}/models`` answers a model list (the SDKs' first call).

    Sent by a twin session at ``base``: the key goes only under the base path, and the
    shared counters keep the request inside --max-requests.
    """
    twin = replace(runner.session, base_url=base, counters=runner.session.counters)
    try:
        _, response = twin.send(Case("listModels", "GET", "/models", mode="probe:base_url"))
    except TransportError:
        return False
    body = response.json
    return response.status == 200 and isinstance(body, dict) and isinstance(body.get("data"), list)


def check_reachable(session: TargetSession) -> None:
    """The start-up check: a target that does not answer at all ends the run at once."""
    try:
        session.get(session.base_url + "/models")
    except TransportError as exc:
        if exc.timed_out:
            return  # slow, not gone: the runner gives up on it in bounded time
        raise TargetUnreachable(f"target unreachable: {session.base_url}: {exc}") from None


def answers_again(session: TargetSession) -> bool:
    """Whether a target that stopped answering is back: a few quick tries, bounded to a few seconds."""
    for _ in range(3):
        try:
            session.get(session.base_url + "/models")
            return True
        except TransportError:
            time.sleep(0.5)
    return False


def probe_auth(runner: Runner, op: Operation, case: Case) -> None:
    """The first valid case of an operation sent again without a key and with a wrong one: both get 401."""
    if "auth_required" not in runner.ledger.selected:
        return
    for label, key in (("no key", None), ("a wrong key", runner.options.wrong_key)):
        probe = Case(**{**case.__dict__, "mode": "positive"})
        try:
            prepared, response = runner.session.send(probe, auth=key)
        except TransportError as exc:
            runner.errors.append(f"{op.operation_id}: auth probe with {label}: {exc}")
            continue
        runner.tally(op.operation_id).statuses[str(response.status)] += 1
        failure = None
        if response.status != 401:
            failure = Failure(
                f"Request with {label} answered {response.status}", "401 Unauthorized", f"Received: {response.status}"
            )
        runner.ledger.verdict("auth_required", op, probe, prepared, response, failure)
        runner.apply_checks(op, probe, prepared, response)  # the 401 itself: envelope, JSON
