"""Completion figures, standings and trends, computed in SQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from quizapp.database import utcnow
from quizapp.extensions import db
from quizapp.quizzes.models import Attempt
from quizapp.quizzes.status import Status
from quizapp.reports import queries
from quizapp.reports.queries import Figures, Scope
from tests.reports.conftest import crew, site

SHANGHAI = ZoneInfo("Asia/Shanghai")


def figures_by_crew(scope: Scope | None = None) -> dict[str, Figures]:
    scope = scope or Scope()
    rules = queries.assignment_rules(db.session, scope)
    rows = queries.crew_figures(db.session, scope, rules, utcnow())
    return {row.crew_name: row.figures for row in rows}


def test_every_status_is_counted_per_crew(world):
    figures = figures_by_crew()
    steel, wood, tunnel = figures["钢筋班"], figures["木工班"], figures["隧道班"]
    assert (steel.workers, steel.required, steel.passed, steel.expiring) == (4, 4, 2, 1)
    assert (steel.in_progress, steel.expired, steel.overdue) == (1, 1, 0)
    assert (steel.submitted, steel.passes, steel.average_best) == (3, 3, 100)
    assert (wood.failed, wood.no_attempts_left, wood.not_started, wood.passed) == (2, 1, 1, 0)
    assert (wood.pass_rate, wood.average_best) == (0, 0)
    assert (tunnel.passed, tunnel.overdue, tunnel.completion) == (1, 1, 50)


def test_the_parts_of_a_bar_add_up_to_what_is_required(world):
    for figures in figures_by_crew().values():
        assert sum(figures.segments.values()) == figures.required


def test_standings_say_when_a_pass_runs_out(world):
    scope = Scope()
    rules = queries.assignment_rules(db.session, scope)
    rows = {
        row.user_id: row for row in queries.requirement_rows(db.session, scope, rules, utcnow())
    }
    expiring = rows[world.workers["steel_expiring"].id]
    assert (expiring.status, expiring.expiring) == (Status.PASSED, True)
    assert expiring.valid_until - expiring.passed_at == timedelta(days=100)
    assert rows[world.workers["tunnel_pass"].id].valid_until is None  # the bank's: for ever
    assert rows[world.workers["tunnel_none"].id].status == Status.OVERDUE
    assert rows[world.workers["wood_out"].id].status == Status.NO_ATTEMPTS_LEFT


def test_a_statement_kept_from_one_request_runs_with_the_next_ones_values(world):
    scope = Scope()
    rules = queries.assignment_rules(db.session, scope)
    now = utcnow()
    today = queries.crew_figures(db.session, scope, rules, now)
    later = now + timedelta(days=400)  # every pass with a refresher interval has run out
    kept = queries.crew_figures(db.session, scope, rules, later)
    queries._statement.cache_clear()
    assert queries.crew_figures(db.session, scope, rules, later) == kept
    assert kept != today
    assert sum(c.figures.passed for c in kept) < sum(c.figures.passed for c in today)


def test_a_manager_scope_sees_only_their_sites(world):
    east = Scope(sites=frozenset({site("东湖").id}))
    assert set(figures_by_crew(east)) == {"钢筋班", "木工班"}
    assert figures_by_crew(Scope(sites=frozenset())) == {}


def test_filters_narrow_to_a_crew_a_bank_and_due_dates(world, make_bank):
    assert set(figures_by_crew(Scope(crew_id=crew("木工班").id))) == {"木工班"}
    other = make_bank("other-bank")
    unasked = figures_by_crew(Scope(bank_id=other.id))["钢筋班"]
    assert (unasked.workers, unasked.required) == (0, 0)  # its workers are asked nothing
    overdue_only = Scope(until=utcnow())
    figures = figures_by_crew(overdue_only)
    assert figures["隧道班"].required == 2 and figures["钢筋班"].required == 0


def test_months_follow_the_display_zone():
    first = datetime(2026, 1, 31, 17, tzinfo=UTC)  # 1 February in Shanghai
    months = queries.months_between(first, datetime(2026, 3, 1, tzinfo=UTC), SHANGHAI)
    assert [m.label for m in months] == ["2026-02", "2026-03"]
    assert months[0].start == datetime(2026, 1, 31, 16, tzinfo=UTC)
    assert months[0].end == months[1].start


def test_the_trend_counts_an_attempt_in_its_month_to_the_microsecond(world):
    scope = Scope()
    rules = queries.assignment_rules(db.session, scope)
    months = queries.months_between(
        datetime(2026, 1, 10, tzinfo=UTC), datetime(2026, 2, 10, tzinfo=UTC), SHANGHAI
    )
    boundary = months[1].start  # midnight of 1 February in Shanghai
    first, second = db.session.scalars(
        select(Attempt).where(Attempt.submitted_at.is_not(None)).order_by(Attempt.id).limit(2)
    ).all()
    first.submitted_at = boundary - timedelta(microseconds=1)
    second.submitted_at = boundary
    db.session.flush()
    counted = queries.monthly_figures(db.session, scope, rules, months)
    assert [(m.month.label, m.submitted) for m in counted] == [("2026-01", 1), ("2026-02", 1)]


def test_monthly_figures_count_passes_and_attempts(world):
    scope = Scope()
    rules = queries.assignment_rules(db.session, scope)
    now = utcnow()
    months = queries.months_between(now - timedelta(days=200), now, SHANGHAI)
    counted = queries.monthly_figures(db.session, scope, rules, months)
    assert sum(m.submitted for m in counted) == 7  # every submitted attempt, once
    assert sum(m.passes for m in counted) == 4
    newest = counted[-1]
    assert newest.month.start <= now < newest.month.end
