"""The geometry of the report charts, drawn as SVG by the templates; pure functions.

The page's security policy allows no inline styles, so every size and position is an SVG
attribute (x, width, points …) and every colour a class in app.css.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

#: The stacked bar is drawn in a 100 × 10 box that the stylesheet stretches to any width.
BAR_WIDTH = 100.0


@dataclass(frozen=True)
class Segment:
    """One part of a stacked bar."""

    name: str
    count: int
    x: float
    width: float


def stacked_bar(parts: Mapping[str, int]) -> list[Segment]:
    """Segments side by side, each as wide as its share of the total; empty ones left out."""
    total = sum(parts.values())
    if total <= 0:
        return []
    segments, x = [], 0.0
    for name, count in parts.items():
        if count <= 0:
            continue
        width = BAR_WIDTH * count / total
        segments.append(Segment(name, count, round(x, 3), round(width, 3)))
        x += width
    return segments


@dataclass(frozen=True)
class Column:
    """A month's column of the trend chart and the point of its pass-rate line."""

    label: str
    value: int
    rate: float | None
    x: float
    y: float
    width: float
    height: float
    #: Where the pass rate sits (None when nothing was submitted that month).
    rate_y: float | None

    @property
    def centre(self) -> float:
        """The column's middle, where its labels go."""
        return self.x + self.width / 2


@dataclass(frozen=True)
class Tick:
    """A horizontal grid line with its labels."""

    y: float
    count: int
    percent: int


@dataclass(frozen=True)
class TrendChart:
    """Columns of completions per month and a line of the pass rate, in a fixed viewBox."""

    width: int
    height: int
    top: float
    bottom: float
    left: float
    right: float
    columns: tuple[Column, ...]
    ticks: tuple[Tick, ...]

    @property
    def line(self) -> str:
        """The pass-rate line as SVG polyline points, skipping months without attempts."""
        return " ".join(
            f"{c.centre:.1f},{c.rate_y:.1f}" for c in self.columns if c.rate_y is not None
        )


def nice_ceiling(value: int) -> int:
    """The top of the count axis: the least of 4, 8, 20, 40, 80, 200 … that holds `value`,
    so that each quarter of the axis is a round number too."""
    step = 1
    while True:
        for factor in (4, 8, 20):
            if step * factor >= value:
                return step * factor
        step *= 10


def trend_chart(
    points: Sequence[tuple[str, int, float | None]], *, width: int = 640, height: int = 260
) -> TrendChart:
    """Lay out (month label, completions, pass rate %) as columns and a line.

    Counts use the left scale (0 … a round maximum), the pass rate the right (0 … 100 %).
    """
    left, right, top, bottom = 44.0, width - 44.0, 16.0, height - 36.0
    ceiling = nice_ceiling(max((count for _l, count, _r in points), default=0))
    plot = bottom - top
    slot = (right - left) / max(1, len(points))
    bar = slot * 0.6
    columns = []
    for index, (label, count, rate) in enumerate(points):
        size = plot * count / ceiling
        x = left + slot * index + (slot - bar) / 2
        rate_y = None if rate is None else bottom - plot * rate / 100
        columns.append(
            Column(
                label=label,
                value=count,
                rate=rate,
                x=round(x, 1),
                y=round(bottom - size, 1),
                width=round(bar, 1),
                height=round(size, 1),
                rate_y=None if rate_y is None else round(rate_y, 1),
            )
        )
    ticks = tuple(Tick(round(bottom - plot * i / 4, 1), ceiling * i // 4, 25 * i) for i in range(5))
    return TrendChart(width, height, top, bottom, left, right, tuple(columns), ticks)
