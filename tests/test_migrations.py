"""The migrations build exactly the schema the models describe."""

from __future__ import annotations

import os
import subprocess
import sys

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

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


def test_a_server_process_does_not_load_alembic():
    # About 10 MB per server process that never migrates.
    check = "import sys, wsgi; print(sorted({'alembic', 'flask_migrate'} & set(sys.modules)))"
    result = subprocess.run(  # noqa: S603 — a fixed command line
        [sys.executable, "-c", check],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": "sqlite://", "SECRET_KEY": "x"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "[]"
