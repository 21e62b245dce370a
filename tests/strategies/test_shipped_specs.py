"""Every operation of every shipped document: positive cases validate, negatives break their rule.

No code in strategies/ names an operation or a spec version; these documents use
anyOf/oneOf/allOf, discriminators, recursion and ``{type: null}`` as they come.
"""

from __future__ import annotations

import pytest
from strategy_checks import violations
from test_negative import assert_breaks_only_its_rule

from openai_conformance.spec import load_spec, shipped_specs
from openai_conformance.strategies import draw_cases, from_operation, has_negative_cases

LARGE = "openai-2.3.0-2026-08-21"
PARAMS = [pytest.param(n, marks=pytest.mark.slow) if n == LARGE else n for n in shipped_specs()]


@pytest.mark.parametrize("name", PARAMS)
def test_every_operation_draws_valid_positive_cases(name: str) -> None:
    spec = load_spec(name)
    for op in spec.operations:
        for case in draw_cases(from_operation(spec, op), 4, seed=1):
            assert violations(spec, op, case) == [], (op.operation_id, case)


@pytest.mark.parametrize("name", PARAMS)
def test_every_operation_draws_negative_cases_that_break_their_rule(name: str) -> None:
    spec = load_spec(name)
    with_rules = [op for op in spec.operations if has_negative_cases(spec, op)]
    assert len(with_rules) > len(spec.operations) // 2
    for op in with_rules:
        for case in draw_cases(from_operation(spec, op, mode="negative"), 4, seed=1):
            assert_breaks_only_its_rule(spec, case)
