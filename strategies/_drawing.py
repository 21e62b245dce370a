"""Draw from Hypothesis strategies outside ``@given``, reproducibly from an integer seed.

A ``ConjectureData`` driven by ``random.Random(seed)`` with a provider that
ignores the constants Hypothesis collects from whatever modules are loaded
(which would make a draw depend on the importing program).
"""

from __future__ import annotations

from functools import cache
from random import Random
from typing import Any

from hypothesis import strategies as st
from hypothesis.control import BuildContext
from hypothesis.errors import StopTest
from hypothesis.internal.conjecture.data import ConjectureData
from hypothesis.internal.conjecture.providers import HypothesisProvider


class _SeededProvider(HypothesisProvider):
    """Hypothesis' random provider without the module-dependent constant pool."""

    def _maybe_draw_constant(self, *args: Any, **kwargs: Any) -> None:
        return None


class DrawFailed(Exception):
    """The strategy rejected every attempt (filters, assumptions) for this seed."""


def draw_with(strategy: st.SearchStrategy[Any], seed: int) -> Any:
    """One value of ``strategy``, the same for the same seed in any process."""
    data = ConjectureData(random=Random(seed), provider=_SeededProvider)
    try:
        with BuildContext(data, wrapped_test=None):  # type: ignore[arg-type]
            return data.draw(strategy)
    except StopTest:
        raise DrawFailed(f"seed={seed}") from None
    finally:
        data.freeze()


@cache
def _regex(pattern: str) -> st.SearchStrategy[str]:
    return st.from_regex(pattern)


def draw_regex(pattern: str, rnd: Random) -> str:
    """A string matching ``pattern`` (search semantics, as JSON Schema reads it)."""
    for _ in range(5):
        try:
            return draw_with(_regex(pattern), rnd.getrandbits(64))
        except DrawFailed:
            continue
    raise ValueError(f"cannot draw a string for pattern={pattern!r}")
