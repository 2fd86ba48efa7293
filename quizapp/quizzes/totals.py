"""Keeping `AttemptTotals` rows in step with the attempts they add up.

Starting and submitting an attempt each change its totals with one statement in the same
transaction (`count_start`, `count_submit`), so a report never sees an attempt its totals
lacks. Bulk loaders that insert attempts directly (the demo history, the benchmark's
generator) call `recount` afterwards, which rebuilds all of them from the attempts.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache

from sqlalchemy import (
    Integer,
    and_,
    bindparam,
    case,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)

from quizapp.database import UTCDateTime, upsert_insert
from quizapp.extensions import db
from quizapp.quizzes.models import Attempt, AttemptTotals


def count_start(user_id: int, bank_id: int) -> None:
    """Count a newly started attempt (creating the totals at a first attempt)."""
    connection = db.session.connection()
    connection.execute(
        _start_statement(connection.dialect.name), {"user_id": user_id, "bank_id": bank_id}
    )


def count_submit(
    user_id: int, bank_id: int, *, submitted_at: datetime, percent: float, passed: bool
) -> None:
    """Count a running attempt as submitted with its score."""
    totals = AttemptTotals.__table__.c
    higher = or_(totals.best_percent.is_(None), totals.best_percent < percent)
    values = {
        "running": totals.running - 1,
        "submitted": totals.submitted + 1,
        "best_percent": case((higher, percent), else_=totals.best_percent),
    }
    if passed:
        later = or_(totals.passed_at.is_(None), totals.passed_at < submitted_at)
        values["passes"] = totals.passes + 1
        values["passed_at"] = case(
            (later, literal(submitted_at, UTCDateTime)), else_=totals.passed_at
        )
    db.session.execute(
        update(AttemptTotals)
        .where(and_(totals.user_id == user_id, totals.bank_id == bank_id))
        .values(values)
        .execution_options(synchronize_session=False)
    )


def recount() -> int:
    """Rebuild all totals from the attempts; return how many rows there are."""
    passed = Attempt.passed.is_(True)
    counts = select(
        Attempt.user_id,
        Attempt.bank_id,
        func.count(),
        func.count() - func.count(Attempt.submitted_at),
        func.count(Attempt.submitted_at),
        func.coalesce(func.sum(case((passed, 1), else_=0)), 0),
        func.max(Attempt.percent),
        func.max(case((passed, Attempt.submitted_at))),
    ).group_by(Attempt.user_id, Attempt.bank_id)
    columns = ("user_id", "bank_id", "attempts", "running", "submitted", "passes")
    db.session.execute(delete(AttemptTotals))
    db.session.execute(
        insert(AttemptTotals).from_select([*columns, "best_percent", "passed_at"], counts)
    )
    return db.session.scalar(select(func.count()).select_from(AttemptTotals))


@cache
def _start_statement(dialect: str):
    """The upsert counting a start, built once per dialect."""
    statement = upsert_insert(dialect)(AttemptTotals).values(
        user_id=bindparam("user_id", type_=Integer),
        bank_id=bindparam("bank_id", type_=Integer),
        attempts=1,
        running=1,
        submitted=0,
        passes=0,
    )
    totals = AttemptTotals.__table__.c
    return statement.on_conflict_do_update(
        index_elements=[totals.user_id, totals.bank_id],
        set_={"attempts": totals.attempts + 1, "running": totals.running + 1},
    )
