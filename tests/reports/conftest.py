"""A small company with a history, for the report and API tests.

Two sites: 东湖 (crews 钢筋班 and 木工班) and 西山 (crew 隧道班). One bank (3 questions,
4 points, pass at 80 %, two attempts), assigned to 东湖 as a whole and to 隧道班.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache

import pytest
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from quizapp.assignments import services as assignment_services
from quizapp.assignments.models import Assignment
from quizapp.auth.models import User
from quizapp.crews.models import Crew, Site
from quizapp.crews.services import find_or_create_crew
from quizapp.database import utcnow
from quizapp.extensions import db
from quizapp.quizzes import services as quiz_services
from quizapp.quizzes.models import Attempt
from tests.conftest import PASSWORD


def crew(name: str) -> Crew:
    """The crew called `name`."""
    return db.session.scalar(select(Crew).where(Crew.name == name))


def site(name: str) -> Site:
    """The site called `name`."""
    return db.session.scalar(select(Site).where(Site.name == name))


@cache
def password_hash() -> str:
    """PASSWORD hashed once: scrypt takes a quarter of a second a time."""
    return generate_password_hash(PASSWORD)


@pytest.fixture
def person(app) -> Callable[..., User]:
    """Add a person who signs in with PASSWORD, quickly (one hash shared by all)."""
    numbers = itertools.count(1)

    def person(role: str = "worker", crew_name: str | None = None, site_name: str | None = None):
        number = f"R{next(numbers):04d}"
        user = User(employee_no=number, name=f"工人{number}", role=role)
        user.password_hash = password_hash()
        if crew_name:
            user.crew = find_or_create_crew(crew_name, site_name)
        db.session.add(user)
        db.session.flush()
        return user

    return person


@pytest.fixture
def take(app) -> Callable[..., Attempt]:
    """Make `user` take `bank`'s quiz `days_ago`: pass (every answer right), fail (every
    answer wrong), or with passed=None leave it running."""

    def take(user: User, bank, *, passed: bool | None, days_ago: float = 1) -> Attempt:
        started = utcnow() - timedelta(days=days_ago)
        attempt = quiz_services.start_attempt(user, bank, now=started)
        if passed is not None:
            content = attempt.version.parsed
            for drawn in attempt.drawn:
                question = content.question(drawn.question_id)
                answer = list(question.answer) if passed else wrong_answer(question)
                quiz_services.save_answer(attempt, question.id, answer, now=started)
            quiz_services.submit_attempt(attempt, now=started + timedelta(minutes=5))
        db.session.commit()
        return attempt

    return take


def wrong_answer(question) -> list[str]:
    """A selection that is not the right answer."""
    if question.type == "true_false":
        return ["F"] if question.answer == ("T",) else ["T"]
    return [next(letter for letter, _text in question.choices if letter not in question.answer)]


@dataclass
class World:
    """The company of these tests."""

    bank: object
    site_wide: Assignment
    tunnel: Assignment
    workers: dict[str, User] = field(default_factory=dict)
    people: dict[str, User] = field(default_factory=dict)


@pytest.fixture
def world(person, make_bank, take) -> World:
    """Workers in every state the reports count, and a manager of 东湖 only.

    钢筋班: steel_pass (passed 10 days ago), steel_expiring (passed 80 days ago; the site
    assignment's passes are valid 100 days), steel_expired (passed 120 days ago),
    steel_running (an attempt running). 木工班: wood_fail (failed once), wood_out (failed
    twice: no attempts left), wood_none (nothing). 隧道班: tunnel_pass, tunnel_none.
    """
    names = {
        "steel_pass": ("钢筋班", "东湖"),
        "steel_expiring": ("钢筋班", "东湖"),
        "steel_expired": ("钢筋班", "东湖"),
        "steel_running": ("钢筋班", "东湖"),
        "wood_fail": ("木工班", "东湖"),
        "wood_out": ("木工班", "东湖"),
        "wood_none": ("木工班", "东湖"),
        "tunnel_pass": ("隧道班", "西山"),
        "tunnel_none": ("隧道班", "西山"),
    }
    workers = {key: person("worker", *where) for key, where in names.items()}
    bank = make_bank(max_attempts=2)
    site_wide = assignment_services.create_assignment(
        bank, due_at=utcnow() + timedelta(days=10), site=site("东湖"), valid_for_days=100
    )
    tunnel = assignment_services.create_assignment(
        bank, due_at=utcnow() - timedelta(days=3), crews=[crew("隧道班")]
    )
    db.session.commit()
    take(workers["steel_pass"], bank, passed=True, days_ago=10)
    take(workers["steel_expiring"], bank, passed=True, days_ago=80)
    take(workers["steel_expired"], bank, passed=True, days_ago=120)
    take(workers["steel_running"], bank, passed=None, days_ago=0.01)
    take(workers["wood_fail"], bank, passed=False, days_ago=2)
    take(workers["wood_out"], bank, passed=False, days_ago=5)
    take(workers["wood_out"], bank, passed=False, days_ago=4)
    take(workers["tunnel_pass"], bank, passed=True, days_ago=20)
    people = {
        "officer": person("officer"),
        "admin": person("admin"),
        "manager": person("manager"),
        "worker": workers["wood_none"],
    }
    people["manager"].managed_sites = [site("东湖")]
    db.session.commit()
    return World(bank, site_wide, tunnel, workers, people)
