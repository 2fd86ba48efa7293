"""Assignments: a bank's quiz required of some crews or a whole site by a due date."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Integer, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quizapp.auth.models import User
from quizapp.banks.models import Bank
from quizapp.crews.models import Crew, Site
from quizapp.database import UTCDateTime, utcnow
from quizapp.extensions import db

assignment_crew = Table(
    "assignment_crew",
    db.metadata,
    Column("assignment_id", ForeignKey("assignment.id"), primary_key=True),
    Column("crew_id", ForeignKey("crew.id"), primary_key=True, index=True),
)


class Assignment(db.Model):
    """A quiz every worker of the chosen crews (or of a site) must pass by `due_at`."""

    __tablename__ = "assignment"

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("bank.id"), index=True)
    #: Everyone on this site is covered, whatever their crew; None when crews are listed.
    site_id: Mapped[int | None] = mapped_column(ForeignKey("site.id"), index=True)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: Refresher interval; None means the bank's own `valid_for_days`.
    valid_for_days: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    #: A cancelled assignment no longer asks anything of anyone; its history stays.
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    bank: Mapped[Bank] = relationship()
    site: Mapped[Site | None] = relationship()
    crews: Mapped[list[Crew]] = relationship(secondary=assignment_crew, order_by="Crew.name")
    created_by: Mapped[User | None] = relationship()

    @property
    def validity_days(self) -> int | None:
        """How long a pass counts for this assignment."""
        if self.valid_for_days is not None:
            return self.valid_for_days
        return self.bank.latest.parsed.quiz.valid_for_days

    def covers(self, crew_id: int | None, site_id: int | None) -> bool:
        """Whether a worker of this crew (on this site) must take the quiz."""
        if self.site_id is not None:
            return site_id == self.site_id
        return crew_id is not None and any(c.id == crew_id for c in self.crews)
