"""`flask demo`: load the demo banks and people, changing nothing on a second run."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from quizapp.auth.services import create_user, find_user
from quizapp.banks.format import BankError
from quizapp.banks.services import read_bank_file, store_bank
from quizapp.demo.data import DEMO_PASSWORD, DEMO_PEOPLE
from quizapp.demo.history import load_history
from quizapp.extensions import db


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Import the banks in question_banks/, create the demo people and their history, once."""
    banks_dir = Path(current_app.config["DEMO_BANKS_DIR"])
    for path in sorted(banks_dir.glob("*.yaml")):
        try:
            content, source = read_bank_file(path, current_app.config["MAX_BANK_BYTES"])
        except BankError as error:
            db.session.rollback()
            raise click.ClickException(f"demo bank {path.name} is invalid:\n{error}") from None
        click.echo(f"bank {store_bank(content, source, path.name)}")
    for person in DEMO_PEOPLE:
        if find_user(person.employee_no) is None:
            create_user(
                person.employee_no,
                person.name,
                person.role,
                password=DEMO_PASSWORD,
                crew_name=person.crew,
                site_name=person.site,
            )
            click.echo(f"created {person.role} {person.employee_no} {person.name}")
    history = load_history(password=DEMO_PASSWORD)
    if history.workers:
        click.echo(
            f"created a training history: {history.workers} workers, "
            f"{history.assignments} assignments, {history.attempts} attempts"
        )
    db.session.commit()
    click.echo(f"\nDemo sign-ins (password for all: {DEMO_PASSWORD}):")
    for person in DEMO_PEOPLE:
        click.echo(f"  {person.employee_no:<6} {person.role:<8} {person.name}")
