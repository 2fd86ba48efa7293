"""Assigning quizzes to crews or sites, and each worker's derived status."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from quizapp.assignments import queries, services
from quizapp.audit.models import AuditEntry
from quizapp.crews.models import Crew, Site
from quizapp.database import utcnow
from quizapp.extensions import db
from quizapp.quizzes import services as quiz_services
from quizapp.quizzes.queries import quiz_cards
from quizapp.quizzes.status import Status
from tests.conftest import sign_in


@pytest.fixture
def company(make_user):
    """Two crews on one site and a third crew elsewhere, with a worker each."""
    people = {
        "steel": make_user(crew_name="钢筋班", site_name="东湖"),
        "wood": make_user(crew_name="木工班", site_name="东湖"),
        "tunnel": make_user(crew_name="隧道班", site_name="西山"),
    }
    return people


def crew(name: str) -> Crew:
    return db.session.scalar(select(Crew).where(Crew.name == name))


def test_crew_assignment_covers_only_its_crews(company, make_bank):
    bank = make_bank()
    assignment = services.create_assignment(
        bank, due_at=utcnow() + timedelta(days=7), crews=[crew("钢筋班")]
    )
    db.session.commit()
    assert queries.covered_workers(assignment) == [company["steel"]]
    assert queries.assignments_of(company["steel"]) == [assignment]
    assert queries.assignments_of(company["tunnel"]) == []


def test_site_assignment_covers_every_crew_on_the_site(company, make_bank):
    site = db.session.scalar(select(Site).where(Site.name == "东湖"))
    assignment = services.create_assignment(
        make_bank(), due_at=utcnow() + timedelta(days=7), site=site
    )
    db.session.commit()
    covered = {w.employee_no for w in queries.covered_workers(assignment)}
    assert covered == {company["steel"].employee_no, company["wood"].employee_no}


def test_an_assignment_needs_exactly_one_audience(company, make_bank):
    bank = make_bank()
    site = db.session.scalar(select(Site))
    with pytest.raises(services.AssignmentError):
        services.create_assignment(bank, due_at=utcnow())
    with pytest.raises(services.AssignmentError):
        services.create_assignment(bank, due_at=utcnow(), site=site, crews=[crew("钢筋班")])


def test_statuses_follow_attempts_and_due_dates(company, make_bank):
    bank = make_bank(max_attempts=2)
    steel, wood = company["steel"], company["wood"]
    past_due = services.create_assignment(
        bank, due_at=utcnow() - timedelta(days=1), crews=[crew("钢筋班"), crew("木工班")]
    )
    attempt = quiz_services.start_attempt(steel, bank)
    for question, answer in [("q1", ["B"]), ("q2", ["A", "B", "C"]), ("q3", ["F"])]:
        quiz_services.save_answer(attempt, question, answer)
    quiz_services.submit_attempt(attempt)
    db.session.commit()
    standings = {s.worker.id: s.standing for s in queries.assignment_standings(past_due, utcnow())}
    assert standings[steel.id].status == Status.PASSED
    assert standings[wood.id].status == Status.OVERDUE


def test_refresher_interval_overrides_the_bank(company, make_bank):
    bank = make_bank()
    steel = company["steel"]
    assignment = services.create_assignment(
        bank, due_at=utcnow() + timedelta(days=30), crews=[crew("钢筋班")], valid_for_days=30
    )
    attempt = quiz_services.start_attempt(steel, bank, now=utcnow() - timedelta(days=40))
    for question, answer in [("q1", ["B"]), ("q2", ["A", "B", "C"]), ("q3", ["F"])]:
        quiz_services.save_answer(attempt, question, answer, now=utcnow() - timedelta(days=40))
    quiz_services.submit_attempt(attempt, now=utcnow() - timedelta(days=40))
    db.session.commit()
    [standing] = queries.assignment_standings(assignment, utcnow())
    assert standing.standing.status == Status.EXPIRED
    assert assignment.validity_days == 30


def test_a_pass_expired_by_the_assignment_opens_a_new_cycle_of_attempts(company, make_bank):
    # The bank allows one attempt and its passes never expire; the assignment asks for a
    # refresher every 30 days. A pass 40 days ago has expired, so starting is allowed again.
    bank = make_bank("once-bank", max_attempts=1)
    steel = company["steel"]
    services.create_assignment(
        bank, due_at=utcnow() + timedelta(days=30), crews=[crew("钢筋班")], valid_for_days=30
    )
    then = utcnow() - timedelta(days=40)
    attempt = quiz_services.start_attempt(steel, bank, now=then)
    for question, answer in [("q1", ["B"]), ("q2", ["A", "B", "C"]), ("q3", ["F"])]:
        quiz_services.save_answer(attempt, question, answer, now=then)
    quiz_services.submit_attempt(attempt, now=then)
    db.session.commit()
    [card] = [c for c in quiz_cards(steel, utcnow()) if c.bank.id == bank.id]
    assert (card.standing.status, card.standing.attempts_left) == (Status.EXPIRED, 1)
    refresher = quiz_services.start_attempt(steel, bank)
    assert refresher.number == 2 and not refresher.is_final
    # Without the assignment, the bank's own rule holds: the pass stands, no attempt is left.
    other = company["tunnel"]
    first = quiz_services.start_attempt(other, bank, now=then)
    quiz_services.submit_attempt(first, now=then)
    db.session.commit()
    with pytest.raises(quiz_services.QuizError, match="no_attempts_left"):
        quiz_services.start_attempt(other, bank)


def test_cancelled_assignment_asks_nothing(company, make_bank):
    assignment = services.create_assignment(make_bank(), due_at=utcnow(), crews=[crew("钢筋班")])
    services.cancel_assignment(assignment)
    db.session.commit()
    assert queries.assignments_of(company["steel"]) == []
    actions = db.session.scalars(
        select(AuditEntry.action)
        .where(AuditEntry.action.like("assignment.%"))
        .order_by(AuditEntry.id)
    ).all()
    assert actions == ["assignment.create", "assignment.cancel"]


def test_officer_assigns_through_the_form(client, company, make_user, make_bank):
    make_bank()
    sign_in(client, make_user("officer"))
    form = client.get("/assignments/new").get_data(as_text=True)
    assert "钢筋班 (东湖)" in form
    due = date.today() + timedelta(days=10)
    response = client.post(
        "/assignments/new",
        data={"bank": "demo-bank", "crews": [str(crew("钢筋班").id)], "due": due.isoformat()},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get(response.location).get_data(as_text=True)
    assert company["steel"].name in page and "Not started" in page
    assert company["wood"].name not in page


def test_form_refuses_both_or_neither_audience(client, company, make_user, make_bank):
    make_bank()
    sign_in(client, make_user("officer"))
    site_id = str(db.session.scalar(select(Site)).id)
    for extra in [{}, {"site": site_id, "crews": [str(crew("钢筋班").id)]}]:
        data = {"bank": "demo-bank", "due": date.today().isoformat(), **extra}
        response = client.post("/assignments/new", data=data)
        assert response.status_code == 200
        assert "either a whole site or one or more crews" in response.get_data(as_text=True)
    assert queries.active_assignments() == []


def test_worker_sees_assigned_quizzes_first_by_due_date(client, company, make_bank):
    later, sooner, unassigned = make_bank("later-bank"), make_bank("sooner-bank"), make_bank("zz")
    steel = crew("钢筋班")
    services.create_assignment(later, due_at=utcnow() + timedelta(days=20), crews=[steel])
    services.create_assignment(sooner, due_at=utcnow() + timedelta(days=2), crews=[steel])
    db.session.commit()
    sign_in(client, company["steel"])
    page = client.get("/quizzes").get_data(as_text=True)
    order = [page.index(f"/quizzes/{slug}/start") for slug in ("sooner-bank", "later-bank", "zz")]
    assert order == sorted(order) and "Required by" in page
    assert unassigned.slug == "zz"


def test_workers_cannot_reach_assignment_pages(client, company, make_bank):
    make_bank()
    sign_in(client, company["steel"])
    assert client.get("/assignments/").status_code == 403
    assert client.get("/assignments/new").status_code == 403
    assert client.post("/assignments/new", data={}).status_code == 403
