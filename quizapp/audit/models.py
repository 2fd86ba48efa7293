"""The audit log: who changed what, and when."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quizapp.auth.models import User
from quizapp.database import UTCDateTime, utcnow
from quizapp.extensions import db


class AuditEntry(db.Model):
    """One change made by an officer or admin; rows are only ever added."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    #: None for changes made from the command line.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    #: A dotted verb such as "bank.publish" or "card.revoke".
    action: Mapped[str] = mapped_column(String(40))
    #: What was changed, in words a person can search for ("bank fire-safety v3").
    target: Mapped[str] = mapped_column(String(200))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    actor: Mapped[User | None] = relationship()
