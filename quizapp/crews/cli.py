"""`flask crews …`: crews and the sites they work on."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from quizapp.crews.models import Crew
from quizapp.crews.services import CrewError, find_or_create_crew
from quizapp.extensions import db


@click.group("crews")
def crews_cli() -> None:
    """Crews (班组) and sites."""


@crews_cli.command("create")
@click.argument("name")
@click.option("--site", "site_name", help="The site the crew works on (created if new).")
@with_appcontext
def create_command(name: str, site_name: str | None) -> None:
    """Create crew NAME, or place an existing crew without a site on SITE."""
    try:
        crew = find_or_create_crew(name, site_name)
    except CrewError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"crew {crew.name}" + (f" on site {crew.site.name}" if crew.site else ""))


@crews_cli.command("list")
@with_appcontext
def list_command() -> None:
    """Every crew with its site."""
    for crew in db.session.scalars(select(Crew).order_by(Crew.name)):
        click.echo(f"{crew.name}\t{crew.site.name if crew.site else '-'}")
