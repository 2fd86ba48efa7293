"""`flask banks …`: validate, import, export and list question banks."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from quizapp.banks.format import BankError, dump_yaml
from quizapp.banks.interchange import (
    EXPORT_FORMATS,
    IMPORT_FORMATS,
    bank_to_gift,
    convert_file,
    guess_format,
)
from quizapp.banks.schema import bank_json_schema
from quizapp.banks.services import find_bank, list_banks, read_bank_file, store_bank
from quizapp.extensions import db


@click.group("banks")
def banks_cli() -> None:
    """Question banks in the YAML format of the bank-format contract."""


def _read_all(files: tuple[Path, ...], read: Callable[[Path], tuple] | None = None) -> list | None:
    """Read and validate every file; print every problem and return None if any has one.

    ``read`` reads one file as (content, source text); by default as a YAML bank.
    """
    loaded, failed = [], False
    for path in files:
        try:
            if read is None:
                loaded.append(read_bank_file(path, current_app.config["MAX_BANK_BYTES"]))
            else:
                loaded.append(read(path))
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
@click.option(
    "--format",
    "file_format",
    type=click.Choice(IMPORT_FORMATS),
    help="File format (default: gift for .gift files, yaml otherwise), as for import.",
)
@with_appcontext
def validate_command(files: tuple[Path, ...], file_format: str | None) -> None:
    """Check FILES against the format; exit 1 if any has an error (listed on stderr).

    GIFT and Aiken files are checked by converting them, as `banks import` would.
    """
    loaded = _read_all(files, lambda path: _read_any(path, file_format, None, None))
    if loaded is None:
        sys.exit(1)
    for path, (content, _source) in zip(files, loaded, strict=True):
        click.echo(f"{path}: ok ({content.id}, {len(content.questions)} questions)")


def _read_any(path: Path, file_format: str | None, bank_id: str | None, title: str | None) -> tuple:
    """Read a bank file in ``file_format`` (guessed from its name when None).

    A GIFT or Aiken file is stored as the YAML it converts to, so that the version can be
    read again exactly as it was imported.
    """
    max_bytes = current_app.config["MAX_BANK_BYTES"]
    file_format = file_format or guess_format(path.name)
    if file_format == "yaml":
        return read_bank_file(path, max_bytes)
    with path.open("rb") as handle:
        data = handle.read(max_bytes + 1)
    return convert_file(
        data, str(path), file_format, bank_id=bank_id, title=title, max_bytes=max_bytes
    )


@banks_cli.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "file_format",
    type=click.Choice(IMPORT_FORMATS),
    help="File format (default: gift for .gift files, yaml otherwise).",
)
@click.option("--id", "bank_id", help="Bank id of a GIFT or Aiken FILE (default: from its name).")
@click.option("--title", help="Bank title of a GIFT or Aiken FILE (default: its name).")
@with_appcontext
def import_command(
    files: tuple[Path, ...], file_format: str | None, bank_id: str | None, title: str | None
) -> None:
    """Validate FILES, then store each as a new version (nothing at all if any is invalid)."""
    if bank_id is not None or title is not None:
        if len(files) != 1:
            raise click.UsageError("--id and --title need exactly one FILE")
        if (file_format or guess_format(files[0].name)) == "yaml":
            raise click.UsageError(
                "--id and --title are for GIFT and Aiken files; a YAML bank carries its own"
            )
    loaded = _read_all(files, lambda path: _read_any(path, file_format, bank_id, title))
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
@click.option(
    "--format",
    "file_format",
    type=click.Choice(EXPORT_FORMATS),
    default="yaml",
    show_default=True,
    help="yaml, or gift for Moodle (without points, tags, images and quiz settings).",
)
@with_appcontext
def export_command(bank_id: str, number: int | None, file_format: str) -> None:
    """Print a bank version as YAML (importing it again changes nothing) or as Moodle GIFT."""
    bank = find_bank(bank_id)
    if bank is None or not bank.versions:
        raise click.ClickException(f"no bank with id {bank_id!r}")
    if number is None:
        version = bank.latest
    else:
        version = next((v for v in bank.versions if v.number == number), None)
        if version is None:
            raise click.ClickException(f"bank {bank_id!r} has no version {number}")
    write = bank_to_gift if file_format == "gift" else dump_yaml
    click.echo(write(version.parsed), nl=False)


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
