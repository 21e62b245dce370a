"""``from_operation``: the Hypothesis strategy of one operation's cases, and drawing many fast.

Hypothesis draws one 64-bit seed per case; the operation's compiled plan turns
the seed into the case. So a case is reproducible from (spec, operation, mode,
caps, pools, seed), ``draw_cases`` needs no Hypothesis engine at all, and the
strategy still composes with ``@given``, ``.map`` and ``.filter``.
"""

from __future__ import annotations

import weakref
from dataclasses import replace
from random import Random
from typing import TYPE_CHECKING, Any

from hypothesis import reject
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from ._caps import Caps
from ._case import Case
from ._drawing import DrawFailed, draw_with
from ._errors import InvalidArgument
from ._negative import Mutation, mutations
from ._operation import Plan
from ._pools import Pools
from ._schema import Unsatisfiable

if TYPE_CHECKING:
    from openai_conformance.spec import Operation, Spec

MODES = ("positive", "negative")
SEEDS = st.integers(min_value=0, max_value=2**64 - 1)
_ATTEMPTS = 16  # seeds tried per case by draw_cases before giving up
_plans: weakref.WeakKeyDictionary[Any, dict[tuple[Any, ...], Plan]] = weakref.WeakKeyDictionary()
_default_pools: weakref.WeakKeyDictionary[Any, Pools] = weakref.WeakKeyDictionary()


def _plan(spec: Spec, operation: Operation, caps: Caps, pools: Pools) -> Plan:
    cache = _plans.setdefault(spec, {})
    key = (operation.operation_id, operation.method, operation.path, caps, id(pools))
    if key not in cache:
        cache[key] = Plan(spec, operation, caps, pools)
    return cache[key]


def _spec_pools(spec: Spec) -> Pools:
    """The default pools of a spec: one object per spec, so plans are shared."""
    pools = _default_pools.get(spec)
    if pools is None:
        pools = _default_pools.setdefault(spec, Pools.from_spec(spec))
    return pools


class CaseStrategy(SearchStrategy[Case]):
    """Cases of one operation in one mode; ``generate(seed)`` is the whole draw."""

    def __init__(self, plan: Plan, mode: str, rules: list[Mutation]) -> None:
        super().__init__()
        self.plan = plan
        self.mode = mode
        self.rules = rules

    def __repr__(self) -> str:
        return f"from_operation({self.plan.operation.operation_id!r}, mode={self.mode!r})"

    def do_draw(self, data: Any) -> Case:
        seed = data.draw(SEEDS)
        try:
            return self.generate(seed)
        except Unsatisfiable:
            reject()  # this seed makes no case: Hypothesis counts it invalid and draws again

    def generate(self, seed: int) -> Case:
        """The case of ``seed``; raises ``Unsatisfiable`` when this seed cannot make one."""
        rnd = Random(seed)
        if self.mode == "positive":
            return self.plan.finish(self.plan.draft(rnd), rnd, seed)
        if not self.rules:
            op = self.plan.operation
            raise InvalidArgument(
                f"operation={op.operation_id!r} has no rule to break: check has_negative_cases() first"
            )
        mutation = rnd.choice(self.rules)
        draft = self.plan.draft(rnd, mutation.body, with_body=mutation.body is not None)
        mutation.edit(draft, rnd)
        return mutation.finish(self.plan.finish(draft, rnd, seed, mutation.rule))


def from_operation(
    spec: Spec, operation: Operation, *, mode: str = "positive", caps: Caps | None = None, pools: Pools | None = None
) -> SearchStrategy[Case]:
    """A strategy of whole requests (path, query, headers, body) of ``operation``.

    Args:
        mode: ``"positive"`` (valid against the request schema) or ``"negative"``
            (each case breaks exactly one rule, named in ``case.rule``).
        caps: ceilings on what a request may ask for (``Caps.paid()``).
        pools: ids to draw for ``model``, file and fine-tune ids; read at draw
            time, so the runner may add ids while a run goes on. Default: the
            spec's own examples.

    Example: ``draw_cases(from_operation(spec, spec.operation("createCompletion")), 10, seed=1)``.
    Shrinking acts on the seed only: a failing case shrinks to a smaller seed, not a
    smaller request.
    """
    if mode not in MODES:
        raise InvalidArgument(f"mode={mode!r}: expected one of {', '.join(MODES)}")
    plan = _plan(spec, operation, caps or Caps(), _spec_pools(spec) if pools is None else pools)
    rules = mutations(plan) if mode == "negative" else []
    return CaseStrategy(plan, mode, rules)


def has_negative_cases(spec: Spec, operation: Operation, *, caps: Caps | None = None) -> bool:
    """Whether ``operation`` has any rule a negative case could break (a GET without
    parameters has none: its negative strategy raises ``InvalidArgument`` when drawn)."""
    return bool(mutations(_plan(spec, operation, caps or Caps(), _spec_pools(spec))))


def _case_seeds(seed: int) -> Random:
    return Random(f"openai-conformance/cases/{seed}")


class NoCase(InvalidArgument):
    """This seed cannot make a case of this strategy (another seed may)."""


def draw_case(strategy: SearchStrategy[Case], seed: int) -> Case:
    """The case whose ``.seed`` is ``seed``: a case of ``draw_cases`` drawn again.

    Raises ``InvalidArgument`` when the seed cannot make a case of this strategy.
    """
    try:
        if isinstance(strategy, CaseStrategy):
            return strategy.generate(seed)
        case = draw_with(strategy, seed)
    except (Unsatisfiable, DrawFailed) as error:
        raise NoCase(f"seed={seed}: {strategy!r} cannot draw a case ({error})") from None
    # Drawn through a wrapper (``.map``, ``.filter``): the outer seed is what reproduces it.
    return replace(case, seed=seed) if isinstance(case, Case) and case.seed != seed else case


def draw_cases(strategy: SearchStrategy[Case], count: int, *, seed: int) -> list[Case]:
    """``count`` cases, the same ones in the same order for the same ``seed``.

    Each case's ``.seed`` gives it back through ``draw_case``. Seeds that cannot
    make a case (a filter, an unsatisfiable branch) are skipped, deterministically.
    """
    if count < 0:
        raise InvalidArgument(f"count={count!r}: expected >= 0")
    seeds = _case_seeds(seed)
    cases: list[Case] = []
    misses = 0
    while len(cases) < count:
        case_seed = seeds.getrandbits(64)
        try:
            cases.append(draw_case(strategy, case_seed))
        except NoCase:
            misses += 1
            if misses > _ATTEMPTS + count:
                raise
    return cases
