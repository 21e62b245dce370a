"""The arithmetic of a ``usage`` object, shared by every API that reports tokens.

Chat and completions write ``prompt_tokens + completion_tokens = total_tokens``;
the Responses API ``input_tokens + output_tokens = total_tokens``, with details
(cached, reasoning tokens) that are parts of those and never exceed them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..results._tally import Failure


def sum_failures(usage: dict[str, Any], parts: tuple[str, ...], *, where: str = "/usage") -> Iterator[Failure]:
    """``total_tokens`` is the sum of ``parts``, when all are integers."""
    values: list[Any] = [usage.get(p) for p in parts]
    total = usage.get("total_tokens")
    if all(_count(v) for v in values) and _count(total) and total != sum(values):
        shown = " + ".join(str(v) for v in values)
        yield Failure(
            "usage does not add up",
            f"total_tokens = {shown} = {sum(values)}",
            f"total_tokens = {total}",
            pointer=f"{where}/total_tokens",
        )


def part_failures(
    usage: dict[str, Any], whole: str, details: str, part: str, *, where: str = "/usage"
) -> Iterator[Failure]:
    """A detail count (``output_tokens_details.reasoning_tokens``) is at most its whole."""
    inner = usage.get(details)
    value = inner.get(part) if isinstance(inner, dict) else None
    if _count(value) and _count(usage.get(whole)) and value > usage[whole]:
        yield Failure(
            f"{details}.{part} exceeds {whole}",
            f"at most {usage[whole]}",
            str(value),
            pointer=f"{where}/{details}/{part}",
        )


def is_responses_usage(usage: dict[str, Any]) -> bool:
    return "input_tokens" in usage or "output_tokens" in usage


def responses_usage_failures(usage: dict[str, Any], *, where: str = "/usage") -> Iterator[Failure]:
    """The Responses API's usage (the ``ResponseUsage`` schema of 2.3.0)."""
    yield from sum_failures(usage, ("input_tokens", "output_tokens"), where=where)
    yield from part_failures(usage, "input_tokens", "input_tokens_details", "cached_tokens", where=where)
    yield from part_failures(usage, "output_tokens", "output_tokens_details", "reasoning_tokens", where=where)


def _count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
