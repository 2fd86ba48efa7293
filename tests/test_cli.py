"""Commands for people, crews, attempts and the demo data."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from quizapp.assignments.models import Assignment
from quizapp.audit.models import AuditEntry
from quizapp.auth.models import User
from quizapp.auth.services import authenticate, find_user
from quizapp.banks.models import BankVersion
from quizapp.crews.models import Crew, Site
from quizapp.database import utcnow
from quizapp.demo.data import DEMO_PASSWORD, DEMO_PEOPLE
from quizapp.demo.history import ASSIGNMENTS, CREWS, WORKERS_PER_CREW
from quizapp.extensions import db
from quizapp.quizzes import services
from quizapp.quizzes.models import Attempt, AttemptTotals


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_users_create_with_crew_and_site(runner):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "W100",
            "--name",
            "王五",
            "--role",
            "worker",
            "--crew",
            "钢筋一班",
            "--site",
            "东湖项目部",
            "--password",
            "s3cret-pass",
        ]
    )
    assert result.exit_code == 0, result.output
    user = authenticate("W100", "s3cret-pass")
    assert user.name == "王五" and user.crew.name == "钢筋一班"
    assert user.crew.site.name == "东湖项目部"
    [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "user.create"))
    assert entry.actor_id is None and entry.target == "worker W100 王五"  # the command line
    assert entry.details == {"crew": "钢筋一班"}


def test_crews_create_is_in_the_audit_log(runner):
    result = runner.invoke(args=["crews", "create", "木工班", "--site", "西山"])
    assert result.exit_code == 0, result.output
    [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "crew.create"))
    assert (entry.target, entry.details) == ("crew 木工班", {"site": "西山"})


def test_users_create_prints_a_random_password_when_none_is_given(runner):
    result = runner.invoke(args=["users", "create", "O1", "--name", "陈", "--role", "officer"])
    password = result.output.split("password: ")[1].strip()
    assert authenticate("O1", password).role == "officer"


def test_users_create_refuses_duplicates_and_bad_input(runner):
    runner.invoke(args=["users", "create", "W1", "--name", "A", "--password", "long-enough"])
    for args in [
        ["W1", "--name", "B"],
        ["W2", "--name", "B", "--password", "short"],
        ["W3", "--name", "B", "--site", "东湖"],
    ]:
        result = runner.invoke(args=["users", "create", *args])
        assert result.exit_code != 0 and "Error" in result.output, args
    assert count(User) == 1


def test_crews_create_with_optional_site(runner):
    assert runner.invoke(args=["crews", "create", "木工一班"]).exit_code == 0
    result = runner.invoke(args=["crews", "create", "木工一班", "--site", "东湖项目部"])
    assert "on site 东湖项目部" in result.output
    moved = runner.invoke(args=["crews", "create", "木工一班", "--site", "西山"])
    assert moved.exit_code != 0
    assert db.session.scalar(select(Crew)).site.name == "东湖项目部"


def test_attempts_expire_finalises_abandoned_attempts(runner, make_user, make_bank):
    attempt = services.start_attempt(
        make_user(), make_bank(time_limit="1m"), now=utcnow() - timedelta(hours=2)
    )
    db.session.commit()
    result = runner.invoke(args=["attempts", "expire"])
    assert "1 attempt(s) finalised" in result.output
    db.session.refresh(attempt)
    assert attempt.is_final


def test_attempts_recount_rebuilds_lost_totals(runner, make_user, make_bank):
    worker, bank = make_user(), make_bank()
    services.submit_attempt(services.start_attempt(worker, bank))
    services.start_attempt(worker, bank)
    db.session.execute(AttemptTotals.__table__.delete())
    db.session.commit()
    result = runner.invoke(args=["attempts", "recount"])
    assert "1 worker and quiz total(s) recounted" in result.output
    totals = db.session.get(AttemptTotals, (worker.id, bank.id))
    assert (totals.attempts, totals.running, totals.submitted) == (2, 1, 1)


def test_demo_loads_banks_people_and_history_and_a_second_run_changes_nothing(runner):
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    banks, people, attempts = count(BankVersion), count(User), count(Attempt)
    history_workers = WORKERS_PER_CREW * len(CREWS)
    assert banks >= 6 and people == len(DEMO_PEOPLE) + history_workers == 207
    assert attempts > 300 and count(Assignment) == len(ASSIGNMENTS)
    assert count(Crew) == 10 and count(Site) == 2
    assert [s.name for s in find_user("M3001").managed_sites] == ["东湖项目部"]
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0 and "created" not in second.output
    assert (count(BankVersion), count(User), count(Attempt)) == (banks, people, attempts)
    assert authenticate(DEMO_PEOPLE[0].employee_no, DEMO_PASSWORD) is not None
    assert authenticate("W5001", DEMO_PASSWORD) is not None  # a generated worker
