"""The stored item analysis of a bank version (see quizapp.analytics.snapshots)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column

from quizapp.database import UTCDateTime
from quizapp.extensions import db


class ItemAnalysisSnapshot(db.Model):
    """The latest computed analysis of one bank version, and what it was computed over."""

    __tablename__ = "item_analysis_snapshot"

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_version_id: Mapped[int] = mapped_column(ForeignKey("bank_version.id"), unique=True)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: The fingerprint of the finished attempts it covers (`snapshots.Fingerprint`).
    attempts: Mapped[int] = mapped_column(Integer)
    last_submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: `snapshots.dump` of the analysis.
    data: Mapped[str] = mapped_column(Text)
