"""`flask users …`: create people from the command line."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from quizapp.audit.services import record
from quizapp.auth.models import Role
from quizapp.auth.services import UserError, create_user
from quizapp.crews.services import CrewError
from quizapp.extensions import db


@click.group("users")
def users_cli() -> None:
    """Workers, officers, managers and administrators."""


@users_cli.command("create")
@click.argument("employee_no")
@click.option("--name", required=True, help="Full name as shown on pages and cards.")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.WORKER.value)
@click.option("--crew", "crew_name", help="Crew (created if new).")
@click.option("--site", "site_name", help="Site of the crew (created if new).")
@click.option("--password", help="At least 8 characters; a random one is printed if omitted.")
@with_appcontext
def create_command(employee_no, name, role, crew_name, site_name, password) -> None:
    """Create a person who signs in with EMPLOYEE_NO."""
    try:
        user, password_used = create_user(
            employee_no, name, role, password=password, crew_name=crew_name, site_name=site_name
        )
    except (UserError, CrewError) as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    # By the command line: no signed-in actor, shown so in the audit log.
    record(None, "user.create", f"{user.role} {user.employee_no} {user.name}", crew=crew_name)
    db.session.commit()
    click.echo(f"created {user.role} {user.employee_no} ({user.name})")
    if password is None:
        click.echo(f"password: {password_used}")
