"""The geometry of the stacked bars and the trend chart (pure functions)."""

from __future__ import annotations

import pytest

from quizapp.reports.charts import nice_ceiling, stacked_bar, trend_chart


def test_a_stacked_bar_gives_each_part_its_share_of_the_width():
    segments = stacked_bar({"passed": 6, "expiring": 0, "overdue": 2, "not_started": 2})
    assert [(s.name, s.count) for s in segments] == [
        ("passed", 6),
        ("overdue", 2),
        ("not_started", 2),
    ]
    assert [s.width for s in segments] == [60, 20, 20]
    assert [s.x for s in segments] == [0, 60, 80]


def test_nothing_to_show_draws_no_segments():
    assert stacked_bar({"passed": 0, "overdue": 0}) == []


@pytest.mark.parametrize(("value", "top"), [(0, 4), (3, 4), (5, 8), (9, 20), (21, 40), (81, 200)])
def test_the_count_axis_ends_on_a_number_whose_quarters_are_round(value, top):
    assert nice_ceiling(value) == top


def test_trend_columns_and_rate_line_share_the_plot_area():
    chart = trend_chart([("2026-01", 10, 50.0), ("2026-02", 20, 100.0), ("2026-03", 0, None)])
    first, second, empty = chart.columns
    assert second.height == pytest.approx(first.height * 2)
    assert second.y + second.height == pytest.approx(chart.bottom)
    assert second.rate_y == pytest.approx(chart.top)  # 100 % at the top
    assert first.rate_y == pytest.approx((chart.top + chart.bottom) / 2)
    assert empty.height == 0 and empty.rate_y is None
    assert chart.line.count(",") == 2  # months without attempts leave the line alone
    assert [t.count for t in chart.ticks] == [0, 5, 10, 15, 20]
    assert [t.percent for t in chart.ticks] == [0, 25, 50, 75, 100]
