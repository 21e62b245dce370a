"""The latency chart: p50 and p95 per operation as plain SVG geometry for the template.

Computed here rather than in JavaScript so the chart is there when the page is
printed or opened with scripts off.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

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


def latency_chart(operations: list[dict[str, Any]]) -> LatencyChart | None:
    """Bars scaled to the largest p95 of the run; None when no operation was timed."""
    timed = [op for op in operations if op["latency_ms"]]
    if not timed:
        return None
    scale = max(op["latency_ms"]["p95"] for op in timed) or 1.0
    bars = [
        LatencyBar(
            op["operation_id"],
            index * ROW_HEIGHT,
            op["latency_ms"]["p50"],
            op["latency_ms"]["p95"],
            round(BAR_WIDTH * op["latency_ms"]["p50"] / scale, 1),
            round(BAR_WIDTH * op["latency_ms"]["p95"] / scale, 1),
        )
        for index, op in enumerate(timed)
    ]
    height = len(bars) * ROW_HEIGHT + AXIS_HEIGHT
    return LatencyChart(bars, scale, LABEL_WIDTH + BAR_WIDTH + 90, height)
