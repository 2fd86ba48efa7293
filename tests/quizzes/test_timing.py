"""The server's clock rules, at the edges."""

from datetime import UTC, datetime, timedelta

from quizapp.quizzes.timing import (
    TimingRules,
    Verdict,
    answer_verdict,
    deadline_for,
    is_due_for_finalisation,
    seconds_left,
)

START = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
RULES = TimingRules(grace=timedelta(seconds=15), offline_window=timedelta(minutes=10))
DEADLINE = START + timedelta(minutes=15)


def test_deadline_is_start_plus_limit():
    assert deadline_for(START, 900) == DEADLINE


def test_extra_time_multiplies_the_limit_and_rounds_up():
    assert deadline_for(START, 900, 1.5) == START + timedelta(seconds=1350)
    assert deadline_for(START, 31, 1.5) == START + timedelta(seconds=47)


def test_untimed_quiz_has_no_deadline_and_accepts_answers_any_time():
    assert deadline_for(START, None) is None
    assert seconds_left(None, START) is None
    assert answer_verdict(None, START + timedelta(days=3), RULES) is Verdict.ACCEPTED
    assert not is_due_for_finalisation(None, START + timedelta(days=3), RULES)


def test_seconds_left_counts_down_and_stops_at_zero():
    assert seconds_left(DEADLINE, START) == 900
    assert seconds_left(DEADLINE, DEADLINE - timedelta(seconds=1.5)) == 1
    assert seconds_left(DEADLINE, DEADLINE + timedelta(seconds=30)) == 0


def test_answer_one_second_before_the_deadline_counts():
    assert answer_verdict(DEADLINE, DEADLINE - timedelta(seconds=1), RULES) is Verdict.ACCEPTED


def test_answer_one_second_after_the_deadline_counts_within_grace():
    assert answer_verdict(DEADLINE, DEADLINE + timedelta(seconds=1), RULES) is Verdict.ACCEPTED


def test_answer_one_second_after_the_grace_is_refused():
    late = DEADLINE + timedelta(seconds=16)
    assert answer_verdict(DEADLINE, late, RULES) is Verdict.TOO_LATE


def test_answer_recorded_offline_in_time_counts_within_the_offline_window():
    arrives = DEADLINE + timedelta(minutes=9)
    verdict = answer_verdict(DEADLINE, arrives, RULES, seconds_left_when_recorded=42)
    assert verdict is Verdict.ACCEPTED


def test_answer_recorded_after_time_ran_out_is_refused_even_from_the_offline_queue():
    arrives = DEADLINE + timedelta(minutes=1)
    verdict = answer_verdict(DEADLINE, arrives, RULES, seconds_left_when_recorded=0)
    assert verdict is Verdict.TOO_LATE


def test_offline_answer_arriving_after_the_window_is_refused():
    arrives = DEADLINE + timedelta(minutes=10, seconds=1)
    verdict = answer_verdict(DEADLINE, arrives, RULES, seconds_left_when_recorded=42)
    assert verdict is Verdict.TOO_LATE


def test_unattended_attempt_is_finalised_only_after_the_offline_window():
    assert not is_due_for_finalisation(DEADLINE, DEADLINE + timedelta(minutes=10), RULES)
    assert is_due_for_finalisation(DEADLINE, DEADLINE + timedelta(minutes=10, seconds=1), RULES)
