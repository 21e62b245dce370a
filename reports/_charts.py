"""The latency chart: p50 and p95 per operation as plain SVG geometry for the template.

Computed here rather than in JavaScript so the chart is there when the page is
printed or opened with scripts off.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from openai_conformance.results import OperationResult

LABEL_WIDTH = 210
BAR_WIDTH = 380
ROW_HEIGHT = 18
AXIS_HEIGHT = 22


@dataclass(frozen=True)
class LatencyBar:
    operation_id: str
    y: int
    p50: float
    p95: float
    p50_width: float
    p95_width: float


@dataclass(frozen=True)
class LatencyChart:
    bars: list[LatencyBar]
    scale_ms: float
    width: int
    height: int
    label_width: int = LABEL_WIDTH
    bar_width: int = BAR_WIDTH
    row_height: int = ROW_HEIGHT

    @property
    def ticks(self) -> list[tuple[float, str]]:
        """Four evenly spaced axis ticks as (x, label)."""
        return [(self.label_width + self.bar_width * i / 4, f"{self.scale_ms * i / 4:,.0f} ms") for i in range(5)]


def latency_chart(operations: Sequence[OperationResult]) -> LatencyChart | None:
    """Bars scaled to the largest p95 of the run; None when no operation was timed."""
    timed = [(op.operation_id, op.latency_ms) for op in operations if op.latency_ms]
    if not timed:
        return None
    scale = max(latency["p95"] for _, latency in timed) or 1.0
    bars = [
        LatencyBar(
            operation_id,
            index * ROW_HEIGHT,
            latency["p50"],
            latency["p95"],
            round(BAR_WIDTH * latency["p50"] / scale, 1),
            round(BAR_WIDTH * latency["p95"] / scale, 1),
        )
        for index, (operation_id, latency) in enumerate(timed)
    ]
    height = len(bars) * ROW_HEIGHT + AXIS_HEIGHT
    return LatencyChart(bars, scale, LABEL_WIDTH + BAR_WIDTH + 90, height)
