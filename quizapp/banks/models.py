"""Question banks and their immutable versions."""

from __future__ import annotations

from collections import OrderedDict
from datetime import datetime
from functools import cached_property
from threading import Lock
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.engine import Engine
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
    #: Loaded only when asked for: lists of versions need none of it, and `parsed` is cached.
    content: Mapped[dict[str, Any]] = mapped_column(JSON, deferred=True)
    #: `format.content_hash` of `content`: an identical re-import makes no new version.
    content_hash: Mapped[str] = mapped_column(String(64))
    #: The file as uploaded, kept verbatim for the record.
    source_text: Mapped[str] = mapped_column(Text, deferred=True)
    source_name: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    bank: Mapped[Bank] = relationship(back_populates="versions")

    @cached_property
    def parsed(self) -> BankContent:
        """The version's content as the pure domain object, built once per process."""
        return _built.get(self)

    def __repr__(self) -> str:
        return f"<BankVersion {self.bank.slug} v{self.number}>"


def version_content(version_id: int) -> BankContent:
    """The content of the version with this id, without reading its row when this process
    has built it already (a version, once stored, is never changed or deleted)."""
    built = _built.by_id(db.engine, version_id)
    return built if built is not None else db.session.get_one(BankVersion, version_id).parsed


class _BuiltBanks:
    """The domain objects of the versions used lately, shared by every request of a process.

    A version's content never changes, and its `content_hash` names it exactly, so a bank
    built once serves every later request (the quiz list, each start, each save) without
    loading and decoding the JSON again. At most `size` are kept, the least used dropped.
    Which hash each version id has is remembered per database (engine), where ids mean
    something, so that a request knowing only the id needs no row either.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self.banks: OrderedDict[str, BankContent] = OrderedDict()
        self.hashes: WeakKeyDictionary[Engine, dict[int, str]] = WeakKeyDictionary()
        self.lock = Lock()

    def get(self, version: BankVersion) -> BankContent:
        key = version.content_hash
        with self.lock:
            self.hashes.setdefault(db.engine, {})[version.id] = key
            if key in self.banks:
                self.banks.move_to_end(key)
                return self.banks[key]
        built = bank_from_dict(version.content)
        with self.lock:
            self.banks[key] = built
            while len(self.banks) > self.size:
                self.banks.popitem(last=False)
        return built

    def by_id(self, engine: Engine, version_id: int) -> BankContent | None:
        with self.lock:
            key = self.hashes.get(engine, {}).get(version_id)
            if key not in self.banks:
                return None
            self.banks.move_to_end(key)
            return self.banks[key]


_built = _BuiltBanks(size=256)


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
