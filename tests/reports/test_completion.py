"""The company page's figures and trend, counted in one pass over the attempts."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from quizapp.assignments import services as assignment_services
from quizapp.database import utcnow
from quizapp.extensions import db
from quizapp.reports import pages, queries
from quizapp.reports.queries import Figures, Scope
from tests.conftest import sign_in
from tests.reports.conftest import crew, site

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_the_trend_and_figures_are_those_of_the_separate_queries(world):
    now = utcnow()
    for scope in (
        Scope(),
        Scope(sites=frozenset({site("东湖").id})),
        Scope(since=now - timedelta(days=30)),
        Scope(until=now - timedelta(days=3)),
    ):
        rules = queries.assignment_rules(db.session, scope)
        months = pages.trend_months(scope, now, SHANGHAI)
        crews, trend = queries.completion(db.session, scope, rules, now, months)
        assert crews == queries.crew_figures(db.session, scope, rules, now)
        assert trend == queries.monthly_figures(db.session, scope, rules, months)


def test_a_quiz_asked_twice_counts_its_attempts_once(person, make_bank, take):
    bank = make_bank(max_attempts=3)
    twice = person("worker", "钢筋班", "东湖")
    once = person("worker", "木工班", "东湖")
    assignment_services.create_assignment(
        bank, due_at=utcnow() + timedelta(days=5), site=site("东湖")
    )
    assignment_services.create_assignment(
        bank, due_at=utcnow() + timedelta(days=9), crews=[crew("钢筋班")]
    )
    db.session.commit()
    take(twice, bank, passed=False, days_ago=3)
    take(twice, bank, passed=True, days_ago=2)
    take(once, bank, passed=True, days_ago=1)
    now = utcnow()
    rules = queries.assignment_rules(db.session, Scope())
    months = pages.trend_months(Scope(), now, SHANGHAI)

    crews, trend = queries.completion(db.session, Scope(), rules, now, months)

    figures = {row.crew_name: row.figures for row in crews}
    steel = figures["钢筋班"]
    assert (steel.workers, steel.required, steel.passed) == (1, 2, 2)
    assert (steel.submitted, steel.passes) == (2, 1)
    total = sum(figures.values(), Figures())
    assert (sum(m.submitted for m in trend), sum(m.passes for m in trend)) == (3, 2)
    assert (total.submitted, total.passes) == (3, 2)


def test_a_date_range_without_assignments_shows_an_empty_trend(client, world):
    sign_in(client, world.people["officer"])
    for url in (
        "/reports/?from=2001-01-01&to=2001-03-31",
        "/reports/export/trend.csv?from=2001-01-01",
    ):
        assert client.get(url).status_code == 200, url


def test_percentages_and_bars_as_the_tables_show_them():
    assert (pages.percent(None), pages.percent(12.4), pages.percent(100)) == ("—", "12%", "100%")
    names = {name: name.upper() for name in pages.SEGMENT_NAMES}
    bar = pages.bar(Figures(required=3, passed=2, not_started=1), names, "nothing")
    assert bar.label == "PASSED: 2, NOT_STARTED: 1"
    assert [s.name for s in bar.segments] == ["passed", "not_started"]
    assert pages.bar(Figures(), names, "nothing").label == "nothing"
