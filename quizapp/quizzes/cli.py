"""`flask attempts …`: housekeeping of attempts."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from quizapp.extensions import db
from quizapp.quizzes import totals
from quizapp.quizzes.services import expire_attempts


@click.group("attempts")
def attempts_cli() -> None:
    """Attempts at quizzes."""


@attempts_cli.command("expire")
@with_appcontext
def expire_command() -> None:
    """Submit and score every attempt whose time and offline window have run out."""
    count = expire_attempts()
    db.session.commit()
    click.echo(f"{count} attempt(s) finalised")


@attempts_cli.command("recount")
@with_appcontext
def recount_command() -> None:
    """Rebuild every worker's attempt totals (what the reports read) from the attempts."""
    count = totals.recount()
    db.session.commit()
    click.echo(f"{count} worker and quiz total(s) recounted")
