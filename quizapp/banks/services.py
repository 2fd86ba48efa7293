"""Storing validated banks as versions; functions flush and leave the commit to the caller."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from quizapp.auth.models import User
from quizapp.banks.format import Bank as BankContent
from quizapp.banks.format import bank_to_dict, content_hash, parse_bank
from quizapp.banks.models import Bank, BankVersion
from quizapp.extensions import db


@dataclass(frozen=True)
class ImportResult:
    """What importing a bank did: the version now newest, and whether it was created."""

    version: BankVersion
    created: bool

    def __str__(self) -> str:
        suffix = "" if self.created else " unchanged"
        return f"{self.version.bank.slug} v{self.version.number}{suffix}"


def store_bank(
    content: BankContent, source_text: str, source_name: str, *, by: User | None = None
) -> ImportResult:
    """Store validated content as the bank's next version, unless it equals the newest one."""
    digest = content_hash(content)
    bank = find_bank(content.id)
    if bank is None:
        bank = Bank(slug=content.id)
        db.session.add(bank)
    elif bank.versions and bank.latest.content_hash == digest:
        return ImportResult(bank.latest, created=False)
    version = BankVersion(
        bank=bank,
        number=len(bank.versions) + 1,
        title=content.title,
        language=content.language,
        question_count=len(content.questions),
        content=bank_to_dict(content),
        content_hash=digest,
        source_text=source_text,
        source_name=source_name,
        created_by_id=by.id if by else None,
    )
    db.session.add(version)
    db.session.flush()
    return ImportResult(version, created=True)


def find_bank(slug: str) -> Bank | None:
    """The bank with this YAML id, if any."""
    return db.session.scalar(select(Bank).where(Bank.slug == slug))


def open_banks() -> list[Bank]:
    """Banks from which new attempts may start, by title of their newest version."""
    banks = db.session.scalars(select(Bank).where(Bank.retired_at.is_(None))).all()
    return sorted((b for b in banks if b.versions), key=lambda b: b.latest.title)


def list_banks() -> list[Bank]:
    """Every bank with at least one version, by id."""
    banks = db.session.scalars(select(Bank).order_by(Bank.slug)).all()
    return [bank for bank in banks if bank.versions]


def read_bank_file(path: Path, max_bytes: int) -> tuple[BankContent, str]:
    """Read and validate a bank file; return its content and its text as uploaded.

    Raises BankError listing every problem; OSError when the file cannot be read.
    The size is checked before the file is read in full.
    """
    with path.open("rb") as handle:
        data = handle.read(max_bytes + 1)
    content = parse_bank(data, str(path), max_bytes=max_bytes)
    return content, data.decode("utf-8-sig")
