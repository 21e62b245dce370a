"""Reproducibility: the same seed gives the same cases, in any process, and one case alone."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategy_checks import violations

from openai_conformance.spec import Spec
from openai_conformance.strategies import Case, CaseStrategy, draw_case, draw_cases, from_operation

OPS = ("createCompletion", "createImageEdit", "createFile", "listFineTuneEvents")
SCRIPT = """
from openai_conformance.spec import load_spec
from openai_conformance.strategies import draw_cases, from_operation
import hashlib, sys
spec = load_spec("openai-1.1.0")
for name in {ops!r}:
    for mode in ("positive", "negative"):
        cases = draw_cases(from_operation(spec, spec.operation(name), mode=mode), 30, seed=42)
        sys.stdout.write(hashlib.sha256(repr(cases).encode()).hexdigest() + "\\n")
"""


def _fingerprints(spec: Spec) -> list[str]:
    import hashlib

    out = []
    for name in OPS:
        for mode in ("positive", "negative"):
            cases = draw_cases(from_operation(spec, spec.operation(name), mode=mode), 30, seed=42)
            out.append(hashlib.sha256(repr(cases).encode()).hexdigest())
    return out


def test_same_seed_same_cases_same_order(seed_spec: Spec) -> None:
    strategy = from_operation(seed_spec, seed_spec.operation("createCompletion"))
    first = draw_cases(strategy, 50, seed=7)
    assert draw_cases(strategy, 50, seed=7) == first
    assert draw_cases(strategy, 20, seed=7) == first[:20]  # a prefix, not another sequence
    assert draw_cases(strategy, 50, seed=8) != first
    assert len({c.seed for c in first}) == 50


def test_a_new_process_draws_the_same_cases(seed_spec: Spec) -> None:
    # Another process imports other modules: Hypothesis' module constants must not leak in.
    result = subprocess.run(
        [sys.executable, "-c", "import json, csv, email\n" + SCRIPT.format(ops=OPS)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert result.stdout.split() == _fingerprints(seed_spec)


def test_draw_case_gives_back_one_case_by_its_seed(seed_spec: Spec) -> None:
    for name in OPS:
        for mode in ("positive", "negative"):
            strategy = from_operation(seed_spec, seed_spec.operation(name), mode=mode)
            for case in draw_cases(strategy, 10, seed=3):
                assert draw_case(strategy, case.seed) == case


def test_a_rebuilt_strategy_gives_the_same_case(seed_spec: Spec) -> None:
    op = seed_spec.operation("createAnswer")
    case = draw_cases(from_operation(seed_spec, op, mode="negative"), 5, seed=9)[-1]
    assert draw_case(from_operation(seed_spec, op, mode="negative"), case.seed) == case


def test_wrapped_strategies_reproduce_by_the_outer_seed(seed_spec: Spec) -> None:
    base = from_operation(seed_spec, seed_spec.operation("createEdit"))
    strategy = base.map(lambda c: replace(c, headers={"X-Trace": "1"}))
    assert not isinstance(strategy, CaseStrategy)
    cases = draw_cases(strategy, 10, seed=5)
    assert draw_cases(strategy, 10, seed=5) == cases
    assert all(draw_case(strategy, c.seed) == c and c.headers == {"X-Trace": "1"} for c in cases)


@settings(max_examples=30, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_strategies_compose_with_given(data: st.DataObject) -> None:
    from openai_conformance.spec import load_spec

    spec = load_spec("openai-1.1.0")
    op = spec.operation(data.draw(st.sampled_from(OPS)))
    case = data.draw(from_operation(spec, op))
    assert isinstance(case, Case) and violations(spec, op, case) == []
    assert draw_case(from_operation(spec, op), case.seed) == case
