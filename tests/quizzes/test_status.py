"""A worker's standing with a quiz, derived from their attempts."""

from datetime import UTC, datetime, timedelta

from quizapp.quizzes.status import AttemptSummary, Status, standing

NOW = datetime(2026, 6, 1, tzinfo=UTC)


def passed(days_ago: int, percent: float = 90) -> AttemptSummary:
    return AttemptSummary(NOW - timedelta(days=days_ago), True, percent)


def failed(days_ago: int, percent: float = 40) -> AttemptSummary:
    return AttemptSummary(NOW - timedelta(days=days_ago), False, percent)


RUNNING = AttemptSummary(None, None, None)


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
