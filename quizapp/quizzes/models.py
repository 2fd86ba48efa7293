"""Attempts at a quiz and the answers given in them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quizapp.auth.models import User
from quizapp.banks.format import Bank as BankContent
from quizapp.banks.models import Bank, BankVersion, version_content
from quizapp.database import UTCDateTime, utcnow
from quizapp.extensions import db
from quizapp.quizzes.drawing import DrawnQuestion


class Finish(StrEnum):
    """How an attempt came to be submitted."""

    WORKER = "worker"
    DEADLINE = "deadline"


class Attempt(db.Model):
    """One sitting of a quiz by one person, pinned forever to the bank version it drew from."""

    __tablename__ = "attempt"
    __table_args__ = (
        # Two tabs starting at once both try to take the same number: one of them fails,
        # which is how max_attempts holds under concurrency.
        UniqueConstraint("user_id", "bank_id", "number"),
        Index("ix_attempt_bank_version_submitted", "bank_version_id", "submitted_at"),
        # Reports: every attempt at a bank, per person, and their passes.
        Index("ix_attempt_bank_user", "bank_id", "user_id", "passed"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    bank_id: Mapped[int] = mapped_column(ForeignKey("bank.id"))
    bank_version_id: Mapped[int] = mapped_column(ForeignKey("bank_version.id"))
    #: 1 for a person's first attempt at this bank, 2 for the second …
    number: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Fixed at the start from the time limit and the person's extra time; None if untimed.
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The drawn questions and choice orders (`DrawnQuestion.to_json` each), fixed at start.
    layout: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    #: `Finish`: submitted by the worker or on their behalf at the deadline.
    finished_by: Mapped[str | None] = mapped_column(String(16))
    score: Mapped[float | None] = mapped_column(Float)
    max_score: Mapped[int | None] = mapped_column(Integer)
    percent: Mapped[float | None] = mapped_column(Float)
    passed: Mapped[bool | None] = mapped_column(Boolean)

    user: Mapped[User] = relationship()
    bank: Mapped[Bank] = relationship()
    version: Mapped[BankVersion] = relationship()
    answers: Mapped[list[Answer]] = relationship(
        back_populates="attempt", order_by="Answer.id", cascade="all, delete-orphan"
    )

    @property
    def is_final(self) -> bool:
        """Submitted, by the worker or at the deadline; nothing about it changes any more."""
        return self.submitted_at is not None

    @property
    def content(self) -> BankContent:
        """The content of the bank version this attempt drew from (see `version_content`)."""
        return version_content(self.bank_version_id)

    @property
    def drawn(self) -> list[DrawnQuestion]:
        """The questions of this attempt in display order."""
        return [DrawnQuestion.from_json(item) for item in self.layout]

    def selections(self) -> dict[str, str]:
        """Question id → saved selection."""
        return {answer.question_id: answer.selected for answer in self.answers}

    def __repr__(self) -> str:
        return f"<Attempt {self.id} user={self.user_id} version={self.bank_version_id}>"


class Answer(db.Model):
    """The latest selection for one question of an attempt; saved as soon as it is given."""

    __tablename__ = "answer"
    __table_args__ = (UniqueConstraint("attempt_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempt.id"))
    question_id: Mapped[str] = mapped_column(String(64))
    #: Sorted letters ("AC"), or "T"/"F" for true/false; "" when an answer was withdrawn.
    selected: Mapped[str] = mapped_column(String(8))
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Set when the attempt is scored.
    points: Mapped[float | None] = mapped_column(Float)
    correct: Mapped[bool | None] = mapped_column(Boolean)

    attempt: Mapped[Attempt] = relationship(back_populates="answers")


class AttemptTotals(db.Model):
    """What a person's attempts at one bank add up to, kept as they start and finish.

    The reports read one of these per worker and required quiz instead of adding up the
    attempts each time; `quizapp.quizzes.totals` writes them in the same transaction as
    the attempt they count, and can recount them all from the attempts.
    """

    __tablename__ = "attempt_totals"
    __table_args__ = (
        PrimaryKeyConstraint("user_id", "bank_id"),
        # On SQLite the rows are stored in key order (migration 0009): a report's lookup of
        # one worker's totals at a quiz reads one B-tree, not the key's index and the row.
        {"sqlite_with_rowid": False},
    )

    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    bank_id: Mapped[int] = mapped_column(ForeignKey("bank.id"))
    #: Every attempt started, submitted or not.
    attempts: Mapped[int] = mapped_column(Integer)
    #: Attempts started and not yet submitted.
    running: Mapped[int] = mapped_column(Integer)
    submitted: Mapped[int] = mapped_column(Integer)
    passes: Mapped[int] = mapped_column(Integer)
    #: The best percentage of a submitted attempt.
    best_percent: Mapped[float | None] = mapped_column(Float)
    #: When the latest passed attempt was submitted.
    passed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<AttemptTotals user={self.user_id} bank={self.bank_id} {self.attempts}>"
