"""Starting, answering and submitting attempts against a real database."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from quizapp.database import utcnow
from quizapp.extensions import db
from quizapp.quizzes import services
from quizapp.quizzes.models import Answer, Attempt, Finish


def test_start_fixes_the_draw_and_the_deadline(make_user, make_bank):
    worker = make_user()
    bank = make_bank(time_limit="10m", shuffle_questions=True, shuffle_choices=True)
    now = utcnow()
    attempt = services.start_attempt(worker, bank, now=now, rng=random.Random(4))
    db.session.commit()
    assert attempt.deadline == now + timedelta(minutes=10)
    assert sorted(d.question_id for d in attempt.drawn) == ["q1", "q2", "q3"]
    stored = db.session.get(Attempt, attempt.id)
    assert stored.layout == attempt.layout and stored.version is bank.latest


def test_extra_time_multiplier_lengthens_the_deadline(make_user, make_bank):
    worker = make_user()
    worker.time_multiplier = 1.5
    bank = make_bank(time_limit="10m")
    now = utcnow()
    attempt = services.start_attempt(worker, bank, now=now)
    assert attempt.deadline == now + timedelta(minutes=15)


def test_starting_again_resumes_the_running_attempt(make_user, make_bank):
    worker, bank = make_user(), make_bank(time_limit="10m")
    first = services.start_attempt(worker, bank)
    db.session.commit()
    assert services.start_attempt(worker, bank).id == first.id


def test_max_attempts_is_enforced(make_user, make_bank):
    worker, bank = make_user(), make_bank(max_attempts=2)
    for _ in range(2):
        services.submit_attempt(services.start_attempt(worker, bank))
        db.session.commit()
    with pytest.raises(services.QuizError) as refused:
        services.start_attempt(worker, bank)
    assert refused.value.code == "no_attempts_left"


def test_retired_bank_starts_no_attempt(make_user, make_bank):
    worker, bank = make_user(), make_bank()
    bank.retired_at = utcnow()
    db.session.commit()
    with pytest.raises(services.QuizError):
        services.start_attempt(worker, bank)


def test_answers_are_scored_on_submission(make_user, make_bank):
    worker, bank = make_user(), make_bank(pass_score=75)
    attempt = services.start_attempt(worker, bank)
    services.save_answer(attempt, "q1", ["B"])
    services.save_answer(attempt, "q2", ["A", "B", "C"])
    services.save_answer(attempt, "q3", ["T"])
    db.session.commit()
    assert services.submit_attempt(attempt)
    db.session.commit()
    assert (attempt.score, attempt.max_score, attempt.percent, attempt.passed) == (3, 4, 75, True)
    assert {a.question_id: a.correct for a in attempt.answers} == {
        "q1": True,
        "q2": True,
        "q3": False,
    }


def test_saving_again_replaces_the_earlier_answer(make_user, make_bank):
    worker, bank = make_user(), make_bank()
    attempt = services.start_attempt(worker, bank)
    services.save_answer(attempt, "q1", ["A"])
    services.save_answer(attempt, "q1", ["B"])
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Answer)) == 1
    db.session.refresh(attempt)
    assert attempt.selections() == {"q1": "B"}


def test_invalid_answers_are_refused(make_user, make_bank):
    worker, bank = make_user(), make_bank()
    attempt = services.start_attempt(worker, bank)
    for question, selected, code in [
        ("nope", ["A"], "unknown_question"),
        ("q1", ["E"], "invalid_choice"),
        ("q1", ["A", "B"], "invalid_choice"),  # single choice takes one letter
        ("q3", ["A"], "invalid_choice"),
    ]:
        with pytest.raises(services.QuizError) as refused:
            services.save_answer(attempt, question, selected)
        assert refused.value.code == code


def test_answer_after_deadline_and_grace_is_refused(make_user, make_bank, app):
    worker, bank = make_user(), make_bank(time_limit="1m")
    start = utcnow()
    attempt = services.start_attempt(worker, bank, now=start)
    grace = app.config["ANSWER_GRACE_SECONDS"]
    services.save_answer(attempt, "q1", ["B"], now=start + timedelta(seconds=59))
    services.save_answer(attempt, "q1", ["C"], now=start + timedelta(seconds=60 + grace))
    with pytest.raises(services.QuizError) as refused:
        services.save_answer(attempt, "q1", ["A"], now=start + timedelta(seconds=61 + grace))
    assert refused.value.code == "too_late"
    queued = start + timedelta(seconds=61 + grace)
    services.save_answer(attempt, "q2", ["A"], now=queued, seconds_left_when_recorded=3)
    db.session.commit()
    db.session.refresh(attempt)
    assert attempt.selections() == {"q1": "C", "q2": "A"}


def test_submitted_attempt_takes_no_more_answers(make_user, make_bank):
    worker, bank = make_user(), make_bank()
    attempt = services.start_attempt(worker, bank)
    services.submit_attempt(attempt)
    with pytest.raises(services.QuizError) as refused:
        services.save_answer(attempt, "q1", ["B"])
    assert refused.value.code == "attempt_final"


def test_second_submission_scores_nothing_again(make_user, make_bank):
    worker, bank = make_user(), make_bank()
    attempt = services.start_attempt(worker, bank)
    services.save_answer(attempt, "q1", ["B"])
    first_time = utcnow()
    assert services.submit_attempt(attempt, now=first_time)
    db.session.commit()
    assert not services.submit_attempt(attempt, now=first_time + timedelta(minutes=1))
    db.session.commit()
    assert attempt.submitted_at == first_time and attempt.score == 1


def test_unattended_attempt_is_finalised_by_the_sweep(make_user, make_bank, app):
    worker, bank = make_user(), make_bank(time_limit="1m")
    start = utcnow() - timedelta(hours=1)
    attempt = services.start_attempt(worker, bank, now=start)
    services.save_answer(attempt, "q1", ["B"], now=start + timedelta(seconds=10))
    fresh = services.start_attempt(make_user(), bank)
    db.session.commit()
    assert services.expire_attempts() == 1
    db.session.commit()
    assert attempt.finished_by == Finish.DEADLINE and attempt.score == 1
    assert not fresh.is_final


def test_sweep_waits_for_the_offline_window(make_user, make_bank, app):
    worker, bank = make_user(), make_bank(time_limit="1m")
    window = app.config["OFFLINE_WINDOW_SECONDS"]
    start = utcnow() - timedelta(seconds=60 + window - 5)
    services.start_attempt(worker, bank, now=start)
    db.session.commit()
    assert services.expire_attempts() == 0


def test_starting_after_an_abandoned_attempt_finalises_it_first(make_user, make_bank):
    worker, bank = make_user(), make_bank(time_limit="1m", max_attempts=2)
    old = services.start_attempt(worker, bank, now=utcnow() - timedelta(days=1))
    db.session.commit()
    new = services.start_attempt(worker, bank)
    db.session.commit()
    assert old.is_final and old.finished_by == Finish.DEADLINE
    assert new.number == 2 and not new.is_final


def test_attempt_stays_pinned_to_its_version_when_the_bank_changes(make_user, make_bank):
    worker = make_user()
    bank = make_bank(pass_score=80)
    attempt = services.start_attempt(worker, bank)
    db.session.commit()
    make_bank(pass_score=50)  # same id, new content: version 2
    assert len(bank.versions) == 2
    services.save_answer(attempt, "q1", ["B"])
    services.save_answer(attempt, "q3", ["F"])
    services.submit_attempt(attempt)
    db.session.commit()
    assert attempt.version.number == 1
    assert attempt.percent == 50 and attempt.passed is False  # judged by version 1's 80%
