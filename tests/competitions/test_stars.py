"""The five star rules, judged on small hand-made months."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from quizapp.competitions.stars import (
    FinishedAttempt,
    Month,
    Requirement,
    StarRule,
    has_valid_pass,
    rate,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
MAY = Month(2026, 5)
START, END = MAY.start(SHANGHAI), MAY.end(SHANGHAI)


def day(n: int, hour: int = 10) -> datetime:
    """May `n`, 2026, at `hour` o'clock in Shanghai."""
    return datetime(2026, 5, n, hour, tzinfo=SHANGHAI).astimezone(UTC)


def attempt(bank_id, percent, passed, at):
    return FinishedAttempt(bank_id, at - timedelta(minutes=20), at, percent, passed)


def judge(attempts=(), requirements=(), as_of=None):
    return rate(list(attempts), list(requirements), start=START, end=END, as_of=as_of or END)


def test_month_bounds_are_local_midnights():
    start, end = MAY.start(SHANGHAI), MAY.end(SHANGHAI)
    assert start == datetime(2026, 4, 30, 16, tzinfo=UTC)
    assert end == datetime(2026, 5, 31, 16, tzinfo=UTC)
    assert Month.containing(datetime(2026, 4, 30, 16, 30, tzinfo=UTC), SHANGHAI) == MAY
    assert Month.containing(datetime(2026, 4, 30, 15, 59, tzinfo=UTC), SHANGHAI) == Month(2026, 4)


def test_months_parse_print_and_step():
    assert Month.parse("2026-05") == MAY and str(MAY) == "2026-05"
    assert Month(2026, 1).previous() == Month(2025, 12)
    assert Month(2026, 12).next() == Month(2027, 1)
    assert Month(2026, 4) < MAY
    for text in ("2026-5", "2026-13", "May", "2026-05-01", "", "１２３４-05"):
        with pytest.raises(ValueError):
            Month.parse(text)


def test_five_stars():
    rating = judge(
        [attempt(1, 95, True, day(3)), attempt(2, 85, True, day(10))],
        [Requirement(1, day(15), 365)],
    )
    assert rating.stars == 5
    assert all(result.met for result in rating.results)
    assert rating.result(StarRule.HIGH_SCORE).value == 95
    assert rating.result(StarRule.TWO_QUIZZES).bank_ids == (1, 2)


def test_a_quiet_month_with_nothing_required_earns_only_the_up_to_date_star():
    rating = judge()
    assert rating.stars == 1
    assert rating.result(StarRule.UP_TO_DATE).met
    assert rating.result(StarRule.UP_TO_DATE).value == 0
    assert rating.result(StarRule.HIGH_SCORE).value is None
    assert not rating.result(StarRule.FIRST_TRY).met  # nothing taken, nothing passed first time


def test_failing_first_then_passing_loses_the_first_try_star_only():
    rating = judge([attempt(1, 60, False, day(3)), attempt(1, 92, True, day(4))])
    assert not rating.result(StarRule.FIRST_TRY).met
    assert rating.result(StarRule.FIRST_TRY).bank_ids == (1,)
    assert rating.result(StarRule.PASSED_IN_MONTH).met
    assert rating.result(StarRule.HIGH_SCORE).met
    assert not rating.result(StarRule.TWO_QUIZZES).met
    assert rating.stars == 3


def test_a_high_score_that_did_not_pass_still_counts_as_the_best_score():
    # A bank that needs 100% to pass: 90% is a high score but no pass.
    rating = judge([attempt(1, 90, False, day(3))])
    assert rating.result(StarRule.HIGH_SCORE).met
    assert not rating.result(StarRule.PASSED_IN_MONTH).met


def test_an_expired_pass_leaves_the_worker_out_of_date():
    earlier = attempt(1, 100, True, START - timedelta(days=40))
    required = [Requirement(1, START - timedelta(days=45), 30)]
    rating = judge([earlier], required)
    assert not rating.result(StarRule.UP_TO_DATE).met
    assert rating.result(StarRule.UP_TO_DATE).bank_ids == (1,)
    # The same pass valid for a year keeps them up to date, though it is from another month.
    assert (
        judge([earlier], [Requirement(1, START - timedelta(days=45), 365)])
        .result(StarRule.UP_TO_DATE)
        .met
    )


def test_quizzes_due_after_the_month_are_not_yet_required():
    rating = judge([], [Requirement(1, END, None)])
    assert rating.result(StarRule.UP_TO_DATE).met and rating.result(StarRule.UP_TO_DATE).value == 0


def test_attempts_outside_the_month_do_not_count_toward_it():
    before = attempt(1, 100, True, START - timedelta(seconds=1))
    after = attempt(2, 100, True, END)
    rating = judge([before, after])
    assert not rating.result(StarRule.PASSED_IN_MONTH).met
    first_moment = judge([attempt(1, 100, True, START)])
    assert first_moment.result(StarRule.PASSED_IN_MONTH).met


def test_the_running_month_is_judged_on_what_happened_so_far():
    now = day(12)
    required = [Requirement(1, day(20), None)]
    so_far = judge([attempt(2, 100, True, day(3))], required, as_of=now)
    assert not so_far.result(StarRule.UP_TO_DATE).met  # still to pass, due on the 20th
    later = judge([attempt(2, 100, True, day(3)), attempt(1, 80, True, day(14))], required, now)
    assert later.result(StarRule.PASSED_IN_MONTH).value == 1  # the 14th has not come yet


def test_valid_pass_needs_a_pass_submitted_by_then_and_not_expired():
    passes = [attempt(1, 100, True, day(10))]
    assert has_valid_pass(passes, 1, 5, day(14))
    assert not has_valid_pass(passes, 1, 5, day(15, 11))
    assert not has_valid_pass(passes, 1, None, day(9))
    assert not has_valid_pass(passes, 2, None, day(20))
