"""Concurrent requests against one attempt, on SQLite and on PostgreSQL (`pytest -m race`)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from quizapp.auth.models import User
from quizapp.banks.format import parse_bank
from quizapp.banks.models import Bank
from quizapp.banks.services import store_bank
from quizapp.extensions import db
from quizapp.quizzes import services
from quizapp.quizzes.models import Answer, Attempt

pytestmark = pytest.mark.race


def in_threads(app, count: int, work) -> list:
    """Run `work(index)` in `count` threads released together; return results or errors."""
    db.session.close()  # on SQLite the test's own open transaction would hold the lock
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(index: int) -> None:
        with app.app_context():
            barrier.wait()
            try:
                results[index] = work(index)
            except Exception as error:  # noqa: BLE001 — reported by the caller's assertions
                results[index] = error
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_fifty_concurrent_submissions_score_once(app, make_user, make_bank):
    attempt = services.start_attempt(make_user(), make_bank())
    services.save_answer(attempt, "q1", ["B"])
    db.session.commit()
    attempt_id = attempt.id

    def submit(_index: int) -> bool:
        claimed = services.submit_attempt(db.session.get(Attempt, attempt_id))
        db.session.commit()
        return claimed

    results = in_threads(app, 50, submit)
    assert results.count(True) == 1 and results.count(False) == 49, results
    stored = db.session.get(Attempt, attempt_id)
    assert stored.score == 1 and stored.max_score == 4


def test_concurrent_saves_for_one_question_keep_one_answer(app, make_user, make_bank):
    attempt = services.start_attempt(make_user(), make_bank())
    db.session.commit()
    attempt_id = attempt.id
    choices = ["A", "B", "C"]

    def save(index: int) -> str:
        services.save_answer(db.session.get(Attempt, attempt_id), "q1", [choices[index % 3]])
        db.session.commit()
        return choices[index % 3]

    results = in_threads(app, 30, save)
    assert all(isinstance(r, str) for r in results), results
    rows = db.session.scalars(select(Answer).where(Answer.attempt_id == attempt_id)).all()
    assert len(rows) == 1 and rows[0].selected in choices


def test_saves_racing_a_submission_are_either_scored_or_refused(app, make_user, make_bank):
    attempt = services.start_attempt(make_user(), make_bank())
    db.session.commit()
    attempt_id = attempt.id

    def work(index: int):
        current = db.session.get(Attempt, attempt_id)
        if index == 0:
            services.submit_attempt(current)
            db.session.commit()
            return "submitted"
        question = ("q1", "q3")[index % 2]
        services.save_answer(current, question, ["B"] if question == "q1" else ["F"])
        db.session.commit()
        return question

    results = in_threads(app, 12, work)
    acknowledged = {r for r in results if r in ("q1", "q3")}
    refused = [r for r in results if isinstance(r, services.QuizError)]
    assert all(r.code == "attempt_final" for r in refused), results
    stored = db.session.get(Attempt, attempt_id)
    # Every answer the server acknowledged is part of the score: q1 and q3 are both right.
    assert stored.score == len(acknowledged)


def test_two_tabs_cannot_start_beyond_max_attempts(app, make_user, make_bank):
    worker, bank = make_user(), make_bank(max_attempts=1)
    worker_id, bank_id = worker.id, bank.id

    def start(_index: int) -> int:
        attempt = services.start_attempt(
            db.session.get(User, worker_id), db.session.get(Bank, bank_id)
        )
        db.session.commit()
        return attempt.id

    results = in_threads(app, 10, start)
    assert len(set(results)) == 1 and isinstance(results[0], int), results
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 1


def test_reupload_during_live_attempts_changes_none_of_them(app, make_user, make_bank):
    bank = make_bank()
    workers = [make_user() for _ in range(6)]
    attempts = [services.start_attempt(w, bank) for w in workers]
    db.session.commit()
    ids = [a.id for a in attempts]
    version_one = bank.latest.id
    new_text = (
        "id: demo-bank\ntitle: 新版\nquestions:\n  - id: q1\n    text: 新题\n"
        "    choices: {A: 甲, B: 乙}\n    answer: A\n"
    )

    def work(index: int) -> str:
        if index == len(ids):
            store_bank(parse_bank(new_text.encode(), "new.yaml"), new_text, "new.yaml")
            db.session.commit()
            return "uploaded"
        attempt = db.session.get(Attempt, ids[index])
        services.save_answer(attempt, "q1", ["B"])
        services.submit_attempt(attempt)
        db.session.commit()
        return "done"

    results = in_threads(app, len(ids) + 1, work)
    assert sorted(results) == ["done"] * len(ids) + ["uploaded"], results
    for attempt_id in ids:
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.bank_version_id == version_one and attempt.score == 1
