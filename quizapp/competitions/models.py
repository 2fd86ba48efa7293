"""Crew competitions (劳动竞赛 / 安全知识竞赛) over a period and a set of banks."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quizapp.auth.models import User
from quizapp.banks.models import Bank
from quizapp.database import UTCDateTime, utcnow
from quizapp.extensions import db

competition_bank = Table(
    "competition_bank",
    db.metadata,
    Column("competition_id", ForeignKey("competition.id"), primary_key=True),
    Column("bank_id", ForeignKey("bank.id"), primary_key=True),
)


class Competition(db.Model):
    """Crews compete on the attempts their workers finish in [starts_at, ends_at)."""

    __tablename__ = "competition"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    banks: Mapped[list[Bank]] = relationship(secondary=competition_bank, order_by="Bank.slug")
    created_by: Mapped[User | None] = relationship()
