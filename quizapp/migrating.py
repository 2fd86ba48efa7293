"""Schema migrations (Flask-Migrate, and Alembic under it), loaded only where they are used.

Alembic adds about 10 MB to every process that imports it, and a server process never
migrates. So `create_app` registers `flask db` as a group that binds Flask-Migrate to the app
when a `flask db …` command is first looked up, and Python code that migrates (the tests,
the benchmarks) calls `enable(app)` before Flask-Migrate's `upgrade()`.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask.cli import ScriptInfo

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def enable(app: Flask) -> None:
    """Bind Flask-Migrate to `app`, with this project's migrations; once is enough."""
    if "migrate" in app.extensions:
        return
    from flask_migrate import Migrate

    from quizapp.extensions import db

    Migrate(app, db, directory=str(MIGRATIONS))


class MigrationCommands(click.Group):
    """`flask db …`: Flask-Migrate's own command group, imported when it is invoked.

    Click makes a context for a subcommand before running it; this group makes it with
    Flask-Migrate's group instead, so that group's options and commands take over unchanged.
    """

    def __init__(self) -> None:
        super().__init__("db", help="Perform database migrations (Flask-Migrate).")

    def make_context(self, info_name, args, parent=None, **extra) -> click.Context:
        from flask_migrate.cli import db as commands

        info = parent.find_object(ScriptInfo) if parent is not None else None
        if info is not None:
            enable(info.load_app())
        return commands.make_context(info_name, args, parent=parent, **extra)
