"""Creating competitions; functions flush and leave the commit to the caller."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from quizapp.audit.services import record
from quizapp.auth.models import User
from quizapp.banks.models import Bank
from quizapp.competitions.models import Competition
from quizapp.extensions import db


class CompetitionError(ValueError):
    """A competition that cannot be made as asked."""


def create_competition(
    title: str,
    *,
    starts_at: datetime,
    ends_at: datetime,
    banks: Sequence[Bank],
    by: User | None = None,
) -> Competition:
    """Open a competition between crews on `banks` over [starts_at, ends_at); audit-logged."""
    title = title.strip()
    if not title:
        raise CompetitionError("a competition needs a title")
    if ends_at <= starts_at:
        raise CompetitionError("a competition ends after it starts")
    if not banks:
        raise CompetitionError("a competition needs at least one bank")
    competition = Competition(
        title=title, starts_at=starts_at, ends_at=ends_at, banks=list(banks), created_by=by
    )
    db.session.add(competition)
    db.session.flush()
    record(
        by,
        "competition.create",
        f"competition {competition.id}: {title}",
        starts_at=starts_at.isoformat(),
        ends_at=ends_at.isoformat(),
        banks=[bank.slug for bank in banks],
    )
    return competition
