"""The geometry of the score distribution chart, drawn as SVG by the template; pure.

The page's security policy allows no inline styles, so sizes and positions are SVG attributes
and colours are classes in app.css.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Bar:
    """One band of scores: its label, how many attempts, and where its bar goes."""

    label: str
    count: int
    x: float
    y: float
    width: float
    height: float

    @property
    def centre(self) -> float:
        """The bar's middle, where its labels go."""
        return round(self.x + self.width / 2, 1)


@dataclass(frozen=True, slots=True)
class Histogram:
    """Bars in a fixed viewBox, with the baseline and the top of the count axis."""

    width: int
    height: int
    bottom: float
    top: float
    ceiling: int
    bars: tuple[Bar, ...]


def axis_ceiling(value: int) -> int:
    """The top of the count axis: the least of 1, 2, 5, 10, 20, 50 … that holds `value`."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def histogram(
    labels: Sequence[str], counts: Sequence[int], *, width: int = 640, height: int = 220
) -> Histogram:
    """Lay out one bar per (label, count), as tall as its share of the axis."""
    left, right, top, bottom = 8.0, width - 8.0, 18.0, height - 26.0
    ceiling = axis_ceiling(max(counts, default=0))
    slot = (right - left) / max(1, len(counts))
    bars = []
    for index, (label, count) in enumerate(zip(labels, counts, strict=True)):
        size = (bottom - top) * count / ceiling if ceiling else 0.0
        bars.append(
            Bar(
                label=label,
                count=count,
                x=round(left + slot * index + slot * 0.1, 1),
                y=round(bottom - size, 1),
                width=round(slot * 0.8, 1),
                height=round(size, 1),
            )
        )
    return Histogram(width, height, bottom, top, ceiling, tuple(bars))
