"""`flask crews …`: crews and the sites they work on."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from quizapp.audit.services import record
from quizapp.crews.models import Crew
from quizapp.crews.roster import RosterError, RosterPlan, parse_roster
from quizapp.crews.services import (
    CrewError,
    apply_roster,
    find_or_create_crew,
    plan_roster_import,
)
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
    record(None, "crew.create", f"crew {crew.name}", site=crew.site.name if crew.site else None)
    db.session.commit()
    click.echo(f"crew {crew.name}" + (f" on site {crew.site.name}" if crew.site else ""))


@crews_cli.command("list")
@with_appcontext
def list_command() -> None:
    """Every crew with its site."""
    for crew in db.session.scalars(select(Crew).order_by(Crew.name)):
        click.echo(f"{crew.name}\t{crew.site.name if crew.site else '-'}")


@click.group("roster")
def roster_cli() -> None:
    """Import crews, sites and workers from a CSV roster."""


@roster_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Show what would change and change nothing.")
@click.option(
    "--deactivate-missing", is_flag=True, help="Deactivate active workers not in the file."
)
@with_appcontext
def roster_import_command(file: Path, dry_run: bool, deactivate_missing: bool) -> None:
    """Import FILE (employee_no,name,crew,site,role; UTF-8 or GBK); all rows or none."""
    try:
        rows = parse_roster(file.read_bytes(), str(file))
        plan = plan_roster_import(
            rows, deactivate_missing=deactivate_missing, importer_is_admin=True
        )
    except RosterError as error:
        click.echo(str(error), err=True)
        click.echo("nothing imported", err=True)
        sys.exit(1)
    for line in describe_plan(plan):
        click.echo(line)
    if dry_run:
        click.echo("dry run: nothing changed")
        return
    apply_roster(rows, plan)
    db.session.commit()
    click.echo("imported")


def describe_plan(plan: RosterPlan) -> list[str]:
    """The plan in lines a person can read before saying yes."""
    lines = [", ".join(f"{key}: {value}" for key, value in plan.summary().items())]
    lines += [f"create {p.employee_no} {p.name} ({p.crew or '-'})" for p in plan.create]
    for update in plan.update:
        changes = "; ".join(str(change) for change in update.changes)
        lines.append(f"update {update.employee_no} {update.name}: {changes}")
    lines += [f"reactivate {p.employee_no} {p.name}" for p in plan.reactivate]
    lines += [f"deactivate {p.employee_no} {p.name}" for p in plan.deactivate]
    return lines
