"""The demo history: reproducible, and with something true for every report to show."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from quizapp.auth.models import User
from quizapp.banks.services import read_bank_file, store_bank
from quizapp.demo.history import ASSIGNMENTS, load_history
from quizapp.extensions import db
from quizapp.quizzes.models import Attempt
from quizapp.reports import queries
from quizapp.reports.queries import Figures, Scope
from tests.conftest import PASSWORD, ROOT

NOW = datetime(2026, 6, 15, 2, 0, tzinfo=UTC)


def load_banks() -> None:
    for slug in sorted({plan.bank for plan in ASSIGNMENTS}):
        content, source = read_bank_file(Path(ROOT, "question_banks", f"{slug}.yaml"), 2**21)
        store_bank(content, source, f"{slug}.yaml")
    db.session.commit()


def signature() -> list[tuple]:
    """The history by employee number and attempt, ids aside (sequences do not roll back)."""
    rows = db.session.execute(
        select(User.employee_no, Attempt.number, Attempt.started_at, Attempt.percent)
        .join(User, User.id == Attempt.user_id)
        .order_by(Attempt.id)
    )
    return [tuple(row) for row in rows]


def test_the_same_seed_and_day_give_the_same_history(app):
    load_banks()
    load_history(NOW, password=PASSWORD)
    first = signature()
    db.session.rollback()
    load_history(NOW, password=PASSWORD)
    assert signature() == first and len(first) > 300


def test_every_figure_has_something_to_show(app):
    load_banks()
    load_history(password=PASSWORD)
    db.session.commit()
    rules = queries.assignment_rules(db.session, Scope())
    now = datetime.now(UTC)
    crews = queries.crew_figures(db.session, Scope(), rules, now)
    total = sum((c.figures for c in crews), Figures())
    assert len(crews) == 10 and 195 <= total.workers <= 205
    assert total.passed and total.failed and total.overdue and total.expiring and total.expired
    assert total.in_progress and total.not_started and total.no_attempts_left
    months = queries.months_between(now - timedelta(days=170), now, ZoneInfo("Asia/Shanghai"))
    trend = queries.monthly_figures(db.session, Scope(), rules, months)
    assert all(month.submitted for month in trend)  # six months of history, every one used
