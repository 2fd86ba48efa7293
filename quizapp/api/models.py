"""Bearer tokens for the read-only JSON API used by HR and ERP systems."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quizapp.auth.models import User
from quizapp.crews.models import Site
from quizapp.database import UTCDateTime, utcnow
from quizapp.extensions import db

api_token_site = Table(
    "api_token_site",
    db.metadata,
    Column("api_token_id", ForeignKey("api_token.id"), primary_key=True),
    Column("site_id", ForeignKey("site.id"), primary_key=True),
)


class ApiToken(db.Model):
    """A token an admin issued to another system; only its hash is kept."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: What the token is for ("HR system"), shown to admins.
    name: Mapped[str] = mapped_column(String(100))
    #: SHA-256 of the token, which is shown once when issued.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    #: The sites whose data the token may read; empty means every site.
    sites: Mapped[list[Site]] = relationship(secondary=api_token_site, order_by="Site.name")
    created_by: Mapped[User | None] = relationship()
