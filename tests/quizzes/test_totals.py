"""Attempt totals stay equal to what the attempts add up to, however attempts end."""

from __future__ import annotations

import importlib.util
from datetime import timedelta

from sqlalchemy import select, text

from quizapp.database import utcnow
from quizapp.extensions import db
from quizapp.quizzes import services, totals
from quizapp.quizzes.models import AttemptTotals
from tests.conftest import ROOT


def stored_totals() -> dict[tuple[int, int], tuple]:
    """Every totals row, by (person, bank)."""
    return {
        (row.user_id, row.bank_id): (
            row.attempts,
            row.running,
            row.submitted,
            row.passes,
            row.best_percent,
            row.passed_at,
        )
        for row in db.session.scalars(select(AttemptTotals))
    }


def take_a_mixed_history(make_user, make_bank):
    """A pass, a later fail, one finished at the deadline, one left running."""
    first, second = make_user(), make_user()
    bank, timed = make_bank(pass_score=75), make_bank("timed-bank", time_limit="1m")
    start = utcnow() - timedelta(days=2)
    passed = services.start_attempt(first, bank, now=start)
    for question, choice in (("q1", ["B"]), ("q2", ["A", "B", "C"]), ("q3", ["T"])):
        services.save_answer(passed, question, choice, now=start)
    services.submit_attempt(passed, now=start + timedelta(minutes=3))
    failed = services.start_attempt(first, bank, now=start + timedelta(hours=1))
    services.save_answer(failed, "q1", ["A"], now=start + timedelta(hours=1))
    services.submit_attempt(failed, now=start + timedelta(hours=1, minutes=2))
    abandoned = services.start_attempt(second, timed, now=start)
    services.save_answer(abandoned, "q1", ["B"], now=start + timedelta(seconds=5))
    db.session.commit()
    assert services.expire_attempts() == 1
    services.start_attempt(second, bank)  # left running
    db.session.commit()
    return first, second, bank, timed, passed


def test_starting_and_submitting_keep_the_totals(make_user, make_bank):
    first, second, bank, timed, passed = take_a_mixed_history(make_user, make_bank)
    assert stored_totals() == {
        (first.id, bank.id): (2, 0, 2, 1, 75.0, passed.submitted_at),
        (second.id, timed.id): (1, 0, 1, 0, 25.0, None),
        (second.id, bank.id): (1, 1, 0, 0, None, None),
    }


def test_recounting_gives_what_was_kept(make_user, make_bank):
    take_a_mixed_history(make_user, make_bank)
    kept = stored_totals()
    db.session.execute(text("UPDATE attempt_totals SET attempts = 99, passed_at = NULL"))
    assert totals.recount() == 3
    assert stored_totals() == kept


def test_the_migration_fills_the_same_totals(make_user, make_bank):
    take_a_mixed_history(make_user, make_bank)
    kept = stored_totals()
    path = ROOT / "migrations" / "versions" / "0008_attempt_totals.py"
    spec = importlib.util.spec_from_file_location("attempt_totals_migration", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    db.session.execute(text("DELETE FROM attempt_totals"))
    db.session.execute(text(migration.BACKFILL))
    db.session.expire_all()
    assert stored_totals() == kept
