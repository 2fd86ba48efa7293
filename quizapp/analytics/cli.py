"""`flask analytics …`: item analysis from the command line."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from quizapp.analytics.export import item_table_csv
from quizapp.analytics.queries import analyse_version
from quizapp.banks.services import find_bank, find_version

analytics_cli = AppGroup("analytics", help="Item analysis of bank versions.")


@analytics_cli.command("items")
@click.argument("bank_id")
@click.option("--version", "number", type=int, help="Version number (default: the newest).")
def items_command(bank_id: str, number: int | None) -> None:
    """Print the item table of BANK_ID's finished attempts as CSV on stdout."""
    bank = find_bank(bank_id)
    if bank is None or not bank.versions:
        raise click.ClickException(f"no bank with id {bank_id!r}")
    version = bank.latest if number is None else find_version(bank, number)
    if version is None:
        raise click.ClickException(f"bank {bank_id!r} has no version {number}")
    analysis = analyse_version(version).analysis
    click.echo(item_table_csv(analysis, version.parsed.questions), nl=False)
