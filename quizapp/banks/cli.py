"""`flask banks …`: validate, import, export and list question banks."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from quizapp.banks.format import BankError, dump_yaml
from quizapp.banks.schema import bank_json_schema
from quizapp.banks.services import find_bank, list_banks, read_bank_file, store_bank
from quizapp.extensions import db


@click.group("banks")
def banks_cli() -> None:
    """Question banks in the YAML format of the bank-format contract."""


def _read_all(files: tuple[Path, ...]) -> list | None:
    """Read and validate every file; print every problem and return None if any has one."""
    loaded, failed = [], False
    for path in files:
        try:
            loaded.append(read_bank_file(path, current_app.config["MAX_BANK_BYTES"]))
        except BankError as error:
            failed = True
            for problem in error.problems:
                click.echo(str(problem), err=True)
        except OSError as error:
            failed = True
            click.echo(f"{path}: cannot read: {error.strerror}", err=True)
    return None if failed else loaded


@banks_cli.command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@with_appcontext
def validate_command(files: tuple[Path, ...]) -> None:
    """Check FILES against the format; exit 1 if any has an error (listed on stderr)."""
    loaded = _read_all(files)
    if loaded is None:
        sys.exit(1)
    for path, (content, _source) in zip(files, loaded, strict=True):
        click.echo(f"{path}: ok ({content.id}, {len(content.questions)} questions)")


@banks_cli.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@with_appcontext
def import_command(files: tuple[Path, ...]) -> None:
    """Validate FILES, then store each as a new version (nothing at all if any is invalid)."""
    loaded = _read_all(files)
    if loaded is None:
        click.echo("nothing imported", err=True)
        sys.exit(1)
    results = [
        store_bank(content, source, path.name)
        for path, (content, source) in zip(files, loaded, strict=True)
    ]
    db.session.commit()
    for result in results:
        click.echo(str(result))


@banks_cli.command("export")
@click.argument("bank_id")
@click.option("--version", "number", type=int, help="Version number (default: newest).")
@with_appcontext
def export_command(bank_id: str, number: int | None) -> None:
    """Print a bank version as YAML; importing it again changes nothing."""
    bank = find_bank(bank_id)
    if bank is None or not bank.versions:
        raise click.ClickException(f"no bank with id {bank_id!r}")
    if number is None:
        version = bank.latest
    else:
        version = next((v for v in bank.versions if v.number == number), None)
        if version is None:
            raise click.ClickException(f"bank {bank_id!r} has no version {number}")
    click.echo(dump_yaml(version.parsed), nl=False)


@banks_cli.command("list")
@with_appcontext
def list_command() -> None:
    """Every bank: id, newest version, title, number of questions."""
    for bank in list_banks():
        version = bank.latest
        retired = "  (retired)" if bank.retired_at else ""
        click.echo(
            f"{bank.slug}\tv{version.number}\t{version.title}\t{version.question_count}{retired}"
        )


@banks_cli.command("schema")
def schema_command() -> None:
    """Print the JSON Schema of the bank format, for editors."""
    click.echo(json.dumps(bank_json_schema(), ensure_ascii=False, indent=2))
