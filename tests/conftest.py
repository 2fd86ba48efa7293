"""Fixtures: an app on a fresh database (SQLite, and PostgreSQL when configured), a client,
a CLI runner and factories for people, banks and attempts."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from flask import Flask, g, request_started
from flask.testing import FlaskClient
from sqlalchemy.engine import make_url

from quizapp import create_app
from quizapp.auth.services import create_user
from quizapp.banks.format import parse_bank
from quizapp.banks.services import store_bank
from quizapp.config import test_database_url
from quizapp.extensions import db

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct-horse-1"

BACKENDS = ["sqlite"] + (["postgresql"] if test_database_url() else [])


def pytest_configure(config: pytest.Config) -> None:
    """In CI the PostgreSQL run is required, never silently left out."""
    if os.environ.get("CI") == "true" and not test_database_url():
        raise pytest.UsageError("CI=true needs TEST_DATABASE_URL (the PostgreSQL run is required)")


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of an empty database: an SQLite file, or a fresh PostgreSQL schema of its own."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.sqlite'}"
        return
    base = make_url(test_database_url())
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin_url = base.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    url = base.update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def make_app(database_url: str) -> Iterator[Callable[..., Flask]]:
    """Build apps on the test database with extra settings; the schema is created once.

    Every app's connections are closed at the end, before the database is dropped.
    """
    created = False
    built: list[Flask] = []

    def build(**settings) -> Flask:
        nonlocal created
        config = {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            # Counted per app, never in a Redis that REDIS_URL may name for the scale tests.
            "RATELIMIT_STORAGE_URI": "memory://",
            "DEMO_BANKS_DIR": str(ROOT / "question_banks"),
            # Pages asked for without Accept-Language are English here, so tests can read
            # them; tests/test_translations.py checks the Chinese the product defaults to.
            "BABEL_DEFAULT_LOCALE": "en",
            # Hundreds of people are made and signed in; tests/auth/test_signin.py checks
            # the production method (quizapp.auth.models.PASSWORD_METHOD).
            "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
        }
        config.update(settings)
        app = create_app(config)
        built.append(app)
        if not created:
            with app.app_context():
                db.create_all()
            created = True
        return app

    yield build
    for app in built:
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def app(make_app) -> Iterator[Flask]:
    """The app, inside an application context, on a fresh database.

    Requests made by the test reuse this application context (Flask pushes a new one only
    when none is active), so `g` is emptied at the start of each request, as a real
    server's fresh context would be; otherwise the signed-in user would be remembered
    from one request to the next.
    """
    app = make_app()
    with app.app_context():
        with request_started.connected_to(_fresh_g, app):
            yield app
        db.session.remove()


def _fresh_g(sender: Flask, **extra) -> None:
    g.__dict__.clear()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A browser without JavaScript."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    """Runs `flask …` commands against the app."""
    return app.test_cli_runner()


@pytest.fixture
def make_user(app: Flask) -> Callable:
    """Create and commit a person; every one has the password PASSWORD."""
    counter = iter(range(1, 10_000))

    def make(role: str = "worker", employee_no: str | None = None, **kwargs):
        number = employee_no or f"E{next(counter):04d}"
        user, _ = create_user(
            number, kwargs.pop("name", f"Person {number}"), role, password=PASSWORD, **kwargs
        )
        db.session.commit()
        return user

    return make


BANK_YAML = """\
id: {id}
title: 测试题库
language: zh-CN
quiz:
{quiz}
questions:
  - id: q1
    text: 发现有人触电，首先应当怎么做？
    choices:
      A: 立即用手把人拉开
      B: 迅速切断电源
      C: 用湿木棍挑开电线
    answer: B
    explanation: 先断电，再施救。
  - id: q2
    type: multiple
    text: 三级配电包括哪些？
    choices:
      A: 总配电箱
      B: 分配电箱
      C: 开关箱
      D: 插线板
    answer: [A, B, C]
    points: 2
  - id: q3
    text: 配电箱可以不上锁。
    answer: false
"""


@pytest.fixture
def make_bank(app: Flask) -> Callable:
    """Store a three-question bank (4 points) with the given quiz settings; return the Bank."""

    def make(bank_id: str = "demo-bank", **quiz):
        settings = {"shuffle_questions": False, "shuffle_choices": False, **quiz}
        lines = "\n".join(f"  {key}: {_yaml_value(value)}" for key, value in settings.items())
        text = BANK_YAML.format(id=bank_id, quiz=lines)
        content = parse_bank(text.encode(), f"{bank_id}.yaml")
        result = store_bank(content, text, f"{bank_id}.yaml")
        db.session.commit()
        return result.version.bank

    return make


def _yaml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def sign_in(client: FlaskClient, user, password: str = PASSWORD):
    """Sign `user` in through the form, as a person would."""
    return client.post("/signin", data={"employee_no": user.employee_no, "password": password})
