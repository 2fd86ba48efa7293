"""`flask analytics …`: item analysis from the command line."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from quizapp.analytics import queries, services
from quizapp.analytics.export import item_table_csv
from quizapp.banks.models import Bank
from quizapp.banks.services import find_bank, find_version
from quizapp.extensions import db

analytics_cli = AppGroup("analytics", help="Item analysis of bank versions.")


@analytics_cli.command("items")
@click.argument("bank_id")
@click.option("--version", "number", type=int, help="Version number (default: the newest).")
def items_command(bank_id: str, number: int | None) -> None:
    """Print the item table of BANK_ID's finished attempts as CSV on stdout.

    Always computed afresh over every finished attempt, and stored for the officer's page.
    """
    bank = find_bank(bank_id)
    if bank is None or not bank.versions:
        raise click.ClickException(f"no bank with id {bank_id!r}")
    version = bank.latest if number is None else find_version(bank, number)
    if version is None:
        raise click.ClickException(f"bank {bank_id!r} has no version {number}")
    analysis = services.recalculate(version).result.analysis
    db.session.commit()
    click.echo(item_table_csv(analysis, version.parsed.questions), nl=False)


@analytics_cli.command("refresh")
@click.argument("bank_id", required=False)
def refresh_command(bank_id: str | None) -> None:
    """Recalculate every stored analysis that attempts have finished since (for cron).

    Versions with finished attempts and no stored analysis get one, so officers' first views
    are quick too. With BANK_ID, only that bank's versions.
    """
    if bank_id is None:
        banks = db.session.scalars(select(Bank).order_by(Bank.slug)).all()
    else:
        bank = find_bank(bank_id)
        if bank is None:
            raise click.ClickException(f"no bank with id {bank_id!r}")
        banks = [bank]
    done = 0
    for bank in banks:
        for version in bank.versions:
            latest = queries.fingerprint(version)
            if latest.attempts and services.stored_fingerprint(version) != latest:
                services.recalculate(version)
                db.session.commit()
                click.echo(f"{bank.slug} v{version.number}: {latest.attempts} attempts")
                done += 1
    click.echo(f"{done} analyses recalculated")
