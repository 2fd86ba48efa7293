"""A worker's standing with a quiz, derived from their attempts."""

from datetime import UTC, datetime, timedelta

from quizapp.quizzes.status import AttemptSummary, Status, standing

NOW = datetime(2026, 6, 1, tzinfo=UTC)


def passed(days_ago: int, percent: float = 90) -> AttemptSummary:
    at = NOW - timedelta(days=days_ago)
    return AttemptSummary(at - timedelta(minutes=10), at, True, percent)


def failed(days_ago: int, percent: float = 40) -> AttemptSummary:
    at = NOW - timedelta(days=days_ago)
    return AttemptSummary(at - timedelta(minutes=10), at, False, percent)


RUNNING = AttemptSummary(NOW - timedelta(minutes=5), None, None, None)


def test_nobody_has_started_before_the_first_attempt():
    s = standing([], max_attempts=3, valid_for_days=None, now=NOW)
    assert (s.status, s.attempts_left, s.best_percent) == (Status.NOT_STARTED, 3, None)


def test_a_running_attempt_is_in_progress():
    assert standing([failed(1), RUNNING], max_attempts=3, valid_for_days=None, now=NOW).status == (
        Status.IN_PROGRESS
    )


def test_failure_with_attempts_left_is_failed():
    s = standing([failed(2)], max_attempts=3, valid_for_days=None, now=NOW)
    assert (s.status, s.attempts_left) == (Status.FAILED, 2)


def test_failure_with_no_attempts_left():
    s = standing([failed(3), failed(2), failed(1)], max_attempts=3, valid_for_days=None, now=NOW)
    assert s.status == Status.NO_ATTEMPTS_LEFT


def test_pass_is_valid_for_the_given_days_from_the_latest_pass():
    s = standing(
        [passed(400), failed(30), passed(10, 85)], max_attempts=None, valid_for_days=365, now=NOW
    )
    assert s.status == Status.PASSED
    assert s.valid_until == NOW - timedelta(days=10) + timedelta(days=365)
    assert s.best_percent == 90


def test_pass_expires():
    s = standing([passed(366)], max_attempts=None, valid_for_days=365, now=NOW)
    assert s.status == Status.EXPIRED


def test_pass_without_validity_never_expires():
    s = standing([passed(3000)], max_attempts=None, valid_for_days=None, now=NOW)
    assert (s.status, s.valid_until) == (Status.PASSED, None)


def test_overdue_when_the_due_date_has_gone_by_without_a_pass():
    due = NOW - timedelta(days=1)
    assert standing([], max_attempts=3, valid_for_days=None, now=NOW, due_at=due).status == (
        Status.OVERDUE
    )
    assert (
        standing([failed(3)], max_attempts=3, valid_for_days=None, now=NOW, due_at=due).status
        == Status.OVERDUE
    )


def test_a_pass_or_a_running_attempt_is_never_overdue():
    due = NOW - timedelta(days=1)
    assert (
        standing([passed(2)], max_attempts=None, valid_for_days=None, now=NOW, due_at=due).status
        == Status.PASSED
    )
    assert (
        standing([RUNNING], max_attempts=None, valid_for_days=None, now=NOW, due_at=due).status
        == Status.IN_PROGRESS
    )


def test_not_yet_due_is_not_started():
    due = NOW + timedelta(days=7)
    s = standing([], max_attempts=None, valid_for_days=None, now=NOW, due_at=due)
    assert (s.status, s.due_at) == (Status.NOT_STARTED, due)


def test_expired_pass_opens_a_new_cycle_of_attempts():
    history = [failed(400), failed(399), passed(398)]
    s = standing(history, max_attempts=3, valid_for_days=365, now=NOW)
    assert (s.status, s.attempts_used, s.attempts_left) == (Status.EXPIRED, 0, 3)
    s = standing([*history, failed(1)], max_attempts=3, valid_for_days=365, now=NOW)
    assert (s.status, s.attempts_used, s.attempts_left) == (Status.EXPIRED, 1, 2)


def test_attempts_before_a_still_valid_pass_keep_counting():
    s = standing([failed(20), passed(10)], max_attempts=3, valid_for_days=365, now=NOW)
    assert (s.attempts_used, s.attempts_left) == (2, 1)
