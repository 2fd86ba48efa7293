"""The migrations build exactly the schema the models describe."""

from __future__ import annotations

import os
import subprocess
import sys

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from quizapp import create_app, migrating
from quizapp.extensions import db
from tests.conftest import ROOT


def test_migrations_match_the_models(database_url):
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": database_url})
    migrating.enable(app)
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "compare_server_default": True}
            )
            assert compare_metadata(context, db.metadata) == []
        db.engine.dispose()


def test_migrations_downgrade_to_empty(database_url):
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": database_url})
    migrating.enable(app)
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        tables = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert tables == set()
        db.engine.dispose()


def test_attempt_totals_move_to_a_table_without_rowids_on_sqlite_and_back(tmp_path):
    url = f"sqlite:///{tmp_path / 'rowid.sqlite'}"
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url})
    migrating.enable(app)
    row = (7, 3, 2, 0, 2, 1, 87.5, "2026-12-01 08:00:00.000000")

    def stored():
        with db.engine.connect() as connection:
            schema = connection.execute(
                text("SELECT sql FROM sqlite_master WHERE name = 'attempt_totals'")
            ).scalar_one()
            rows = connection.execute(text("SELECT * FROM attempt_totals")).all()
        return "WITHOUT ROWID" in schema, [tuple(r) for r in rows]

    with app.app_context():
        upgrade(revision="0008")
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO app_user (id, employee_no, name, password_hash, role, active,"
                    " time_multiplier, created_at) VALUES (7, 'W7', '王工', '-', 'worker', 1, 1,"
                    " '2026-11-01 08:00:00.000000')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO bank (id, slug, created_at)"
                    " VALUES (3, 'scaffold', '2026-11-01 08:00:00.000000')"
                )
            )
            connection.execute(
                text("INSERT INTO attempt_totals VALUES (:a, :b, :c, :d, :e, :f, :g, :h)"),
                dict(zip("abcdefgh", row, strict=True)),
            )
        assert stored() == (False, [row])
        upgrade(revision="0009")
        assert stored() == (True, [row])
        downgrade(revision="0008")
        assert stored() == (False, [row])
        db.engine.dispose()


def test_flask_db_migrates_through_the_command_line(tmp_path):
    # The `db` group binds Flask-Migrate only when it is invoked (quizapp.migrating).
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url})
    runner = app.test_cli_runner()
    upgraded = runner.invoke(args=["db", "upgrade"])
    assert upgraded.exit_code == 0, upgraded.output
    with app.app_context():
        assert "item_analysis_snapshot" in inspect(db.engine).get_table_names()
        db.engine.dispose()
    assert "-d, --directory" in runner.invoke(args=["db", "--help"]).output


def test_a_server_process_starts_lean():
    # About 10 MB per server process that never migrates, and 2 MB of PostgreSQL's dialect
    # that an SQLite server would hold for nothing (its upserts import SQLite's); what it
    # made while starting is left out of garbage collection (quizapp.settle_server_process).
    check = (
        "import gc, sys, wsgi; from quizapp.database import upsert_insert; upsert_insert('sqlite');"
        "print(sorted({'alembic', 'flask_migrate', 'sqlalchemy.dialects.postgresql'}"
        " & set(sys.modules)), 'sqlalchemy.dialects.sqlite' in sys.modules,"
        " gc.get_freeze_count() > 10_000)"
    )
    result = subprocess.run(  # noqa: S603 — a fixed command line
        [sys.executable, "-c", check],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": "sqlite://", "SECRET_KEY": "x"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "[] True True"
