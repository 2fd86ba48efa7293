"""Storing validated banks as versions; functions flush and leave the commit to the caller."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import selectinload

from quizapp.audit.services import record
from quizapp.auth.models import User
from quizapp.banks.format import Bank as BankContent
from quizapp.banks.format import bank_to_dict, content_hash, parse_bank
from quizapp.banks.models import Bank, BankDraft, BankImage, BankVersion
from quizapp.database import utcnow
from quizapp.extensions import db

#: How long an unpublished upload is kept.
DRAFT_LIFETIME = timedelta(days=1)


@dataclass(frozen=True)
class ImportResult:
    """What importing a bank did: the version now newest, and whether it was created."""

    version: BankVersion
    created: bool

    def __str__(self) -> str:
        suffix = "" if self.created else " unchanged"
        return f"{self.version.bank.slug} v{self.version.number}{suffix}"


def store_bank(
    content: BankContent,
    source_text: str,
    source_name: str,
    *,
    by: User | None = None,
    images: Mapping[str, tuple[str, bytes]] | None = None,
) -> ImportResult:
    """Store validated content as the bank's next version, unless it equals the newest one.

    `images` (path → media type and bytes) are kept with the version that names them.
    A new version is written to the audit log.
    """
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
    for path, (media_type, data) in (images or {}).items():
        db.session.add(BankImage(version=version, path=path, media_type=media_type, data=data))
    db.session.flush()
    record(by, "bank.publish", f"bank {bank.slug} v{version.number}", source=source_name)
    return ImportResult(version, created=True)


def set_retired(bank: Bank, retired: bool, *, by: User | None = None) -> None:
    """Retire a bank (no new attempts; running ones finish) or open it again."""
    if retired == (bank.retired_at is not None):
        return
    bank.retired_at = utcnow() if retired else None
    record(by, "bank.retire" if retired else "bank.reopen", f"bank {bank.slug}")
    db.session.flush()


def save_draft(data: bytes, filename: str, *, by: User) -> BankDraft:
    """Keep a validated upload until its officer publishes or discards it.

    Drafts older than a day are cleared on the way, so abandoned uploads do not pile up.
    """
    db.session.execute(delete(BankDraft).where(BankDraft.created_at < utcnow() - DRAFT_LIFETIME))
    draft = BankDraft(uploaded_by_id=by.id, filename=filename, data=data)
    db.session.add(draft)
    db.session.flush()
    return draft


def find_version(bank: Bank, number: int) -> BankVersion | None:
    """Version `number` of the bank, if it exists."""
    return next((v for v in bank.versions if v.number == number), None)


def find_image(version_id: int, path: str) -> BankImage | None:
    """An image stored with a version."""
    return db.session.scalar(
        select(BankImage).where(BankImage.bank_version_id == version_id, BankImage.path == path)
    )


def find_bank(slug: str) -> Bank | None:
    """The bank with this YAML id, if any."""
    return db.session.scalar(select(Bank).where(Bank.slug == slug))


def open_banks() -> list[Bank]:
    """Banks from which new attempts may start, by title of their newest version."""
    banks = db.session.scalars(
        select(Bank).where(Bank.retired_at.is_(None)).options(selectinload(Bank.versions))
    ).all()
    return sorted((b for b in banks if b.versions), key=lambda b: b.latest.title)


def list_banks() -> list[Bank]:
    """Every bank with at least one version, by id."""
    banks = db.session.scalars(
        select(Bank).order_by(Bank.slug).options(selectinload(Bank.versions))
    ).all()
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
