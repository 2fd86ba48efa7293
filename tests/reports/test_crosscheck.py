"""The SQL aggregation derives every status exactly as `quizzes.status.standing` does.

A generated history (the demo's generator, another seed) with a few awkward extras is
read both ways: per worker through `assignments.queries.assignment_standings` (Python, the
reference) and through the report queries (SQL); they must agree on everything.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from quizapp.assignments import services as assignment_services
from quizapp.assignments.queries import active_assignments, assignment_standings
from quizapp.auth.models import User
from quizapp.banks.models import Bank
from quizapp.banks.services import read_bank_file, store_bank
from quizapp.database import utcnow
from quizapp.demo.history import ASSIGNMENTS, load_history
from quizapp.extensions import db
from quizapp.quizzes.status import Status
from quizapp.reports import queries
from quizapp.reports.queries import EXPIRING_WITHIN, Scope
from tests.conftest import PASSWORD, ROOT
from tests.reports.conftest import crew, site


@pytest.fixture
def history(person, take, make_bank):
    """The demo history (seed 7) plus double coverage, a cancelled assignment, a deactivated
    worker, a worker in no crew, a crew on no site and a pass that never expires."""
    for slug in sorted({plan.bank for plan in ASSIGNMENTS}):
        content, source = read_bank_file(Path(ROOT, "question_banks", f"{slug}.yaml"), 2**21)
        store_bank(content, source, f"{slug}.yaml")
    counts = load_history(password=PASSWORD, seed=7)
    assert counts.attempts > 300
    banks = {b.slug: b for b in db.session.scalars(select(Bank))}
    # The same quiz asked of 钢筋一班 twice: by the site's assignment and by its own.
    assignment_services.create_assignment(
        banks["fire-safety"], due_at=utcnow() + timedelta(days=3), crews=[crew("钢筋一班")]
    )
    cancelled = assignment_services.create_assignment(
        banks["first-aid"], due_at=utcnow(), crews=[crew("钢筋一班")]
    )
    assignment_services.cancel_assignment(cancelled)
    leaver = db.session.scalar(select(User).where(User.crew_id == crew("砌筑班").id))
    leaver.active = False
    person("worker")  # in no crew: covered by nothing
    floating = person("worker", "流动班")  # a crew on no site
    forever = make_bank("no-refresher")  # valid_for_days unset: a pass counts for ever
    for bank in (banks["first-aid"], forever):
        assignment_services.create_assignment(
            bank, due_at=utcnow() - timedelta(days=1), crews=[crew("流动班")]
        )
    db.session.commit()
    take(floating, banks["first-aid"], passed=False, days_ago=3)
    take(floating, forever, passed=True, days_ago=900)
    return banks


def test_sql_statuses_agree_with_assignment_standings(history):
    now = utcnow()
    scope = Scope()
    rules = queries.assignment_rules(db.session, scope)
    sql = {
        (r.assignment_id, r.user_id): r
        for r in queries.requirement_rows(db.session, scope, rules, now)
    }
    expected_by_crew: dict[int, Counter] = {}
    checked = 0
    for assignment in active_assignments():
        for item in assignment_standings(assignment, now):
            mine = sql.pop((assignment.id, item.worker.id))
            reference = item.standing
            expiring = (
                reference.status == Status.PASSED
                and reference.valid_until is not None
                and reference.valid_until <= now + EXPIRING_WITHIN
            )
            assert (mine.status, mine.valid_until, mine.best_percent, mine.expiring) == (
                reference.status,
                reference.valid_until,
                reference.best_percent,
                expiring,
            ), (assignment.id, item.worker.employee_no)
            counts = expected_by_crew.setdefault(item.worker.crew_id, Counter())
            counts[reference.status] += 1
            counts["expiring"] += expiring
            checked += 1
    assert sql == {}, "the SQL found requirements the reference does not know"
    assert checked > 400
    statuses = Counter(status for counts in expected_by_crew.values() for status in counts)
    assert all(statuses[status] for status in Status), statuses  # every status occurs

    for row in queries.crew_figures(db.session, scope, rules, now):
        counts = expected_by_crew.get(row.crew_id, Counter())
        f = row.figures
        assert (
            f.passed,
            f.expiring,
            f.in_progress,
            f.failed - f.no_attempts_left,
            f.no_attempts_left,
            f.not_started,
            f.overdue,
            f.expired,
        ) == (
            counts[Status.PASSED],
            counts["expiring"],
            counts[Status.IN_PROGRESS],
            counts[Status.FAILED],
            counts[Status.NO_ATTEMPTS_LEFT],
            counts[Status.NOT_STARTED],
            counts[Status.OVERDUE],
            counts[Status.EXPIRED],
        ), row.crew_name


def test_a_manager_scope_counts_a_subset_of_the_same_figures(history):
    now = utcnow()
    everything = {
        row.crew_id: row.figures
        for row in queries.crew_figures(
            db.session, Scope(), queries.assignment_rules(db.session, Scope()), now
        )
    }
    east = Scope(sites=frozenset({site("东湖项目部").id}))
    mine = queries.crew_figures(db.session, east, queries.assignment_rules(db.session, east), now)
    assert {row.crew_name for row in mine} == {
        "钢筋一班",
        "木工一班",
        "混凝土班",
        "砌筑班",
        "机电安装班",
    }
    for row in mine:
        whole = everything[row.crew_id]
        assert replace(row.figures, best_total=0) == replace(whole, best_total=0)
        assert row.figures.best_total == pytest.approx(whole.best_total)
