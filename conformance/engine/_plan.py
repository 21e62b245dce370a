"""What a run sends, decided before anything is sent: operations chosen, cases drawn and filtered.

Pure of I/O: cases are drawn up front from the seed (so a run is reproducible),
sliced for ``--shard``, and cut to the budget caps and to destructive calls on
what this run created. Each thing left out is said, with its reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from openai_conformance.strategies import Case, Pools, draw_cases, from_operation, has_negative_cases

from ._example_cases import example_cases
from ._policy import exceeded_cap, hash_text, is_destructive

if TYPE_CHECKING:
    from openai_conformance.spec import Operation, Spec

    from ._runner import RunOptions

Skip = Callable[[str, str], None]  # (operation id, reason): something left out, and why


def select_operations(spec: Spec, options: RunOptions, skip: Skip) -> list[Operation]:
    """The operations the user chose (deprecated ones only on request, or on the reference server); deletes last."""
    include_deprecated = options.include_deprecated
    if include_deprecated is None:
        include_deprecated = options.reference_server
    chosen = []
    for op in spec.operations:
        reason = None
        if options.operations and op.operation_id not in options.operations:
            reason = "not selected"
        elif options.tags and not set(op.tags) & set(options.tags):
            reason = "not selected"
        elif op.deprecated and not include_deprecated and op.operation_id not in options.operations:
            reason = "deprecated"
        if reason:
            skip(op.operation_id, reason)
        else:
            chosen.append(op)
    return sorted(chosen, key=is_destructive)  # deletes and cancels last


def plan_cases(
    spec: Spec, op: Operation, options: RunOptions, pools: Pools, owned: set[str], skip: Skip
) -> dict[str, list[Case]]:
    """The cases of each mode for one operation, drawn from the seed, in this slice, allowed to be sent."""
    plan: dict[str, list[Case]] = {}
    seed = options.seed ^ (hash_text(op.operation_id) & 0xFFFFFFF)
    if "positive" in options.modes:
        strategy = from_operation(spec, op, mode="positive", caps=options.caps, pools=pools)
        plan["positive"] = list(draw_cases(strategy, options.max_examples, seed=seed))
    if "negative" in options.modes and has_negative_cases(spec, op, caps=options.caps):
        strategy = from_operation(spec, op, mode="negative", caps=options.caps, pools=pools)
        plan["negative"] = list(draw_cases(strategy, options.max_examples, seed=seed + 1))
    if "examples" in options.modes:
        plan["example"] = list(map(pools.repinned, example_cases(spec, op, pools)))
    # Allowed first, then sliced: what a cap or the destructive rule leaves out is said in every slice alike.
    return {
        mode: [
            c
            for i, c in enumerate(allowed_cases(op, cases, options, owned, skip))
            if in_shard(options.shard, op.operation_id, mode, i)
        ]
        for mode, cases in plan.items()
    }


def in_shard(shard: tuple[int, int], name: str, mode: str, index: int) -> bool:
    """Whether case ``index`` of (name, mode) is slice I of N's: round robin from a stable start."""
    this, count = shard
    return (hash_text(f"{name}|{mode}") + index) % count == this - 1


def allowed_cases(op: Operation, cases: Iterable[Case], options: RunOptions, owned: set[str], skip: Skip) -> list[Case]:
    """Within the budget caps, and destructive calls only on what this run created (``owned`` ids)."""
    cases = list(cases)
    if options.caps is not None:
        # Positive cases are capped inside the strategy; a negative case may break
        # a capped bound upward, which a paid API that wrongly accepts it bills.
        within = [c for c in cases if exceeded_cap(options.caps, c) is None]
        if len(within) < len(cases):
            skip(op.operation_id, f"budget: {len(cases) - len(within)} cases over a cap")
        cases = within
    if not is_destructive(op) or options.allow_destructive:
        return cases
    # Nothing named in the path (an invite, an admin write): nothing of ours to act on.
    kept = [c for c in cases if c.path_parameters and all(v in owned for v in c.path_parameters.values())]
    if len(kept) < len(cases):
        skip(op.operation_id, f"destructive: {len(cases) - len(kept)} cases on objects this run did not create")
    return kept
