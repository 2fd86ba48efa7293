"""Certificates of passed attempts, verifiable by anyone who scans their QR code."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quizapp.database import UTCDateTime, utcnow
from quizapp.extensions import db
from quizapp.quizzes.models import Attempt


class Certificate(db.Model):
    """A certificate for one passed attempt; its random code is the public verification key."""

    __tablename__ = "certificate"

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempt.id"), unique=True)
    #: Random and unguessable; the verification page is found by it and tells nothing else.
    code: Mapped[str] = mapped_column(String(32), unique=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    attempt: Mapped[Attempt] = relationship()
