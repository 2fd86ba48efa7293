"""Sites and the crews (班组) that work on them."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quizapp.extensions import db


class Site(db.Model):
    """A construction site or mine, the unit a manager is responsible for."""

    __tablename__ = "site"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Shown to people; unique so rosters and the command line can name a site.
    name: Mapped[str] = mapped_column(String(100), unique=True)

    crews: Mapped[list[Crew]] = relationship(back_populates="site", order_by="Crew.name")

    def __repr__(self) -> str:
        return f"<Site {self.name}>"


class Crew(db.Model):
    """A crew or team (区队、班组); a worker belongs to at most one."""

    __tablename__ = "crew"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    #: A crew may exist before it is placed on a site.
    site_id: Mapped[int | None] = mapped_column(ForeignKey("site.id"), index=True)

    site: Mapped[Site | None] = relationship(back_populates="crews")

    def __repr__(self) -> str:
        return f"<Crew {self.name}>"
