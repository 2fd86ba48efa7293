"""Question banks and their immutable versions."""

from __future__ import annotations

from datetime import datetime
from functools import cached_property
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quizapp.banks.format import Bank as BankContent
from quizapp.banks.format import bank_from_dict
from quizapp.database import UTCDateTime, utcnow
from quizapp.extensions import db


class Bank(db.Model):
    """A question bank, known by the `id` its YAML gives it; its content lives in versions."""

    __tablename__ = "bank"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The bank's `id` in YAML; re-importing the same slug makes a new version.
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: A retired bank starts no new attempts; running ones may finish.
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    versions: Mapped[list[BankVersion]] = relationship(
        back_populates="bank", order_by="BankVersion.number"
    )

    @property
    def latest(self) -> BankVersion:
        """The newest version, from which new attempts are drawn."""
        return self.versions[-1]

    def __repr__(self) -> str:
        return f"<Bank {self.slug}>"


class BankVersion(db.Model):
    """One immutable version of a bank; attempts stay pinned to the version they drew from."""

    __tablename__ = "bank_version"
    __table_args__ = (UniqueConstraint("bank_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("bank.id"))
    #: 1, 2, 3 … per bank.
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    language: Mapped[str | None] = mapped_column(String(35))
    question_count: Mapped[int] = mapped_column(Integer)
    #: The validated, normalised bank (`format.bank_to_dict`), from which quizzes are drawn.
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: `format.content_hash` of `content`: an identical re-import makes no new version.
    content_hash: Mapped[str] = mapped_column(String(64))
    #: The file as uploaded, kept verbatim for the record.
    source_text: Mapped[str] = mapped_column(Text)
    source_name: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    bank: Mapped[Bank] = relationship(back_populates="versions")

    @cached_property
    def parsed(self) -> BankContent:
        """The version's content as the pure domain object."""
        return bank_from_dict(self.content)

    def __repr__(self) -> str:
        return f"<BankVersion {self.bank.slug} v{self.number}>"


class BankImage(db.Model):
    """An image a version's questions show (a safety sign, a photo), from its .zip upload."""

    __tablename__ = "bank_image"
    __table_args__ = (UniqueConstraint("bank_version_id", "path"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_version_id: Mapped[int] = mapped_column(ForeignKey("bank_version.id"))
    version: Mapped[BankVersion] = relationship()
    #: The path the YAML names, inside the archive.
    path: Mapped[str] = mapped_column(String(255))
    #: Detected from the bytes, never taken from the name: image/png, image/jpeg, …
    media_type: Mapped[str] = mapped_column(String(32))
    data: Mapped[bytes] = mapped_column(LargeBinary)


class BankDraft(db.Model):
    """An uploaded file waiting for the officer to look at its preview and publish it."""

    __tablename__ = "bank_draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    filename: Mapped[str] = mapped_column(String(255))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
