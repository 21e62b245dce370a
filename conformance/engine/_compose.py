"""One way to compose a run from a user's choices: the CLI and the pytest plugin both call it.

``Choices`` is what a user can choose (the same for every front door);
``prepare_run`` turns them and a loaded spec into a ``PreparedRun``: the target
(the embedded reference server when no base URL is given), the errata, the
budget, the session and the ``RunOptions``.
"""

from __future__ import annotations

import secrets
from contextlib import ExitStack
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .._errors import UsageError
from ._policy import MODES, is_loopback
from ._runner import Runner, RunOptions
from ._session import TargetSession

if TYPE_CHECKING:
    from openai_conformance.spec import Spec

    from ._progress import Progress
    from ._reference_side import ReferenceSide

PAID_MAX_REQUESTS = 2000  # the default request budget of a target that may bill


@dataclass(frozen=True)
class Choices:
    """Everything a user chooses about a run, whichever front door they came in by."""

    base_url: str | None = None  # None: the embedded reference server
    api_key: str | None = None
    timeout: float = 10.0
    operations: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    modes: tuple[str, ...] = MODES
    checks: tuple[str, ...] = ()
    max_examples: int = 20
    seed: int = 0
    include_deprecated: bool | None = None  # None: yes for the reference server only
    strict_spec: bool = False
    workers: int = 2
    max_requests: int | None = None  # None: PAID_MAX_REQUESTS for a non-loopback target
    max_time: float | None = None  # seconds for the whole run; None: no limit
    budget: str = "auto"  # auto: caps on for a non-loopback target
    allow_destructive: bool = False
    faults: tuple[str, ...] = ()
    exclude_checks: tuple[str, ...] = ()
    headers: tuple[tuple[str, str], ...] = ()  # sent on every request (a gateway's tenant, routing)
    shrink: bool = True
    shard: tuple[int, int] = (1, 1)  # (I, N): slice I of N
    models: tuple[str, ...] = ()  # --model ID or KIND=ID
    compare_to: str | None = None  # --compare-to URL: every case sent there too, differences are findings
    compare_key: str | None = None  # the key for it; None: the same key as the target's (api_key)


@dataclass
class PreparedRun:
    spec: Spec  # errata applied unless --strict-spec
    session: TargetSession
    options: RunOptions
    reference: bool  # the target is the embedded reference server
    compare_to: ReferenceSide | None = None  # --compare-to's server

    def runner(self, progress: Progress | None = None) -> Runner:
        return Runner(self.spec, self.session, self.options, progress, self.compare_to)


def options_for(choices: Choices, *, reference: bool, paid: bool, errata: tuple[str, ...]) -> RunOptions:
    """The runner's options: pure, so that every front door is seen to agree."""
    from openai_conformance.strategies import Caps

    budget = choices.budget == "on" or (choices.budget == "auto" and paid)
    return RunOptions(
        max_examples=choices.max_examples,
        seed=choices.seed,
        operations=choices.operations,
        tags=choices.tags,
        include_deprecated=choices.include_deprecated,
        modes=choices.modes,
        caps=Caps.paid() if budget else None,
        allow_destructive=choices.allow_destructive or reference,  # our own server: nothing to lose
        checks=_selected_checks(choices),
        reference_server=reference,
        faults=choices.faults,
        errata=errata,
        strict_spec=choices.strict_spec,
        workers=choices.workers,
        shrink=choices.shrink,
        shard=choices.shard,
        models=choices.models,
    )


def _selected_checks(choices: Choices) -> tuple[str, ...]:
    """``--checks`` minus ``--exclude-checks``; empty means every check."""
    if not choices.exclude_checks:
        return choices.checks
    from ..checks import CHECKS

    chosen = choices.checks or tuple(CHECKS.names())
    return tuple(name for name in chosen if name not in choices.exclude_checks)


def prepare_run(choices: Choices, spec: Spec, stack: ExitStack) -> PreparedRun:
    """Start what the run needs (its servers end with ``stack``); the runner checks the target answers."""
    if choices.faults and choices.base_url:
        raise UsageError("--fault switches faults of the embedded reference server: drop --base-url")
    _check_models(choices.models)
    base_url, api_key, reference = choices.base_url, choices.api_key, not choices.base_url
    if reference:
        from ..server import FAULTS, serve_in_subprocess

        bad = [f for f in choices.faults if f not in FAULTS]
        if bad:
            raise UsageError(f"--fault: unknown fault {bad[0]!r} (see 'openai-conformance serve --list-faults')")
        api_key = "sk-oc-" + secrets.token_hex(16)
        server = stack.enter_context(serve_in_subprocess(spec=spec, faults=choices.faults, api_keys=[api_key]))
        base_url = server.base_url
    assert base_url is not None
    # A loopback target compared with the paid API: the caps protect the paid side all the same.
    paid = not is_loopback(base_url) or bool(choices.compare_to and not is_loopback(choices.compare_to))
    patched, errata = _with_errata(spec, choices.strict_spec)
    session = TargetSession(
        base_url,
        api_key=api_key,
        timeout=choices.timeout,
        max_requests=choices.max_requests or (PAID_MAX_REQUESTS if paid else None),
        max_time=choices.max_time,
        extra_headers=dict(choices.headers),
    )
    options = options_for(choices, reference=reference, paid=paid, errata=tuple(errata))
    return PreparedRun(patched, session, options, reference, _compare_to(choices, patched))


def _compare_to(choices: Choices, spec: Spec) -> ReferenceSide | None:
    """The ``--compare-to`` server: the user's key unless ``compare_key`` (never the embedded
    server's own), no ``--header`` (a gateway's secret is not the upstream's business), its own budget."""
    if not choices.compare_to:
        return None
    from ._reference_side import ReferenceSide

    session = TargetSession(
        choices.compare_to,
        api_key=choices.compare_key or choices.api_key,
        timeout=choices.timeout,
        max_time=choices.max_time,
        max_requests=choices.max_requests or (None if is_loopback(choices.compare_to) else PAID_MAX_REQUESTS),
    )
    side = ReferenceSide(session, spec)
    side.check_reachable()
    return side


def _check_models(models: tuple[str, ...]) -> None:
    from openai_conformance.strategies import InvalidArgument, Pools

    try:
        Pools().pin(models)
    except InvalidArgument as exc:
        raise UsageError(f"--{exc}") from None


def _with_errata(spec: Spec, strict: bool) -> tuple[Spec, list[str]]:
    if strict:
        return spec, []
    from openai_conformance.spec import apply_errata

    patched, applied = apply_errata(spec)
    return patched, [e.id for e in applied]
