"""Creating and cancelling assignments; functions flush and leave the commit to the caller."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from quizapp.assignments.models import Assignment
from quizapp.audit.services import record
from quizapp.auth.models import User
from quizapp.banks.models import Bank
from quizapp.crews.models import Crew, Site
from quizapp.database import utcnow
from quizapp.extensions import db


class AssignmentError(ValueError):
    """An assignment that cannot be made as asked."""


def create_assignment(
    bank: Bank,
    *,
    due_at: datetime,
    crews: Sequence[Crew] = (),
    site: Site | None = None,
    valid_for_days: int | None = None,
    by: User | None = None,
) -> Assignment:
    """Require the bank's quiz of `crews`, or of everyone on `site`, by `due_at`."""
    if bool(crews) == (site is not None):
        raise AssignmentError("assign the quiz either to crews or to a whole site")
    if bank.retired_at is not None:
        raise AssignmentError("a retired bank cannot be assigned")
    if valid_for_days is not None and valid_for_days < 1:
        raise AssignmentError("a refresher interval is at least one day")
    assignment = Assignment(
        bank=bank,
        site=site,
        crews=list(crews),
        due_at=due_at,
        valid_for_days=valid_for_days,
        created_by=by,
    )
    db.session.add(assignment)
    db.session.flush()
    audience = f"site {site.name}" if site else "crews " + ", ".join(c.name for c in crews)
    record(
        by,
        "assignment.create",
        f"assignment {assignment.id}: {bank.slug} for {audience}",
        due_at=due_at.isoformat(),
        valid_for_days=valid_for_days,
    )
    return assignment


def cancel_assignment(assignment: Assignment, *, by: User | None = None) -> None:
    """Withdraw the assignment; the attempts made for it stay."""
    if assignment.cancelled_at is not None:
        return
    assignment.cancelled_at = utcnow()
    record(by, "assignment.cancel", f"assignment {assignment.id}: {assignment.bank.slug}")
    db.session.flush()
