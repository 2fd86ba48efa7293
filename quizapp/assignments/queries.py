"""Read-only queries about assignments and where each worker stands with them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from quizapp.assignments.models import Assignment, assignment_crew
from quizapp.auth.models import Role, User
from quizapp.banks.models import Bank
from quizapp.crews.models import Crew
from quizapp.extensions import db
from quizapp.quizzes.models import Attempt
from quizapp.quizzes.status import Standing, standing, summarise


@dataclass(frozen=True)
class WorkerStanding:
    """One worker's standing with one assignment."""

    worker: User
    standing: Standing


def active_assignments() -> list[Assignment]:
    """Assignments not cancelled, soonest due first."""
    query = (
        select(Assignment)
        .where(Assignment.cancelled_at.is_(None))
        .options(selectinload(Assignment.crews), selectinload(Assignment.bank))
        .order_by(Assignment.due_at, Assignment.id)
    )
    return list(db.session.scalars(query))


def assignments_of(user: User) -> list[Assignment]:
    """The active assignments that cover this person's crew or site, soonest due first."""
    if user.crew is None:
        return []
    crew_ids = select(assignment_crew.c.assignment_id).where(
        assignment_crew.c.crew_id == user.crew_id
    )
    conditions = [Assignment.id.in_(crew_ids)]
    if user.crew.site_id is not None:
        conditions.append(Assignment.site_id == user.crew.site_id)
    query = (
        select(Assignment)
        .where(Assignment.cancelled_at.is_(None), or_(*conditions))
        .order_by(Assignment.due_at, Assignment.id)
    )
    return list(db.session.scalars(query))


def assignment_for(user: User, bank: Bank) -> Assignment | None:
    """The soonest-due active assignment asking the bank's quiz of `user`, if any."""
    return next((a for a in assignments_of(user) if a.bank_id == bank.id), None)


def validity_days_for(user: User, bank: Bank) -> int | None:
    """How long a pass at `bank` counts for `user`: as the soonest-due assignment asking the
    quiz of them says, else as the bank says. The one rule for their quiz list, for starting
    a refresher and for their certificates."""
    assignment = assignment_for(user, bank)
    if assignment is not None:
        return assignment.validity_days
    return bank.latest.parsed.quiz.valid_for_days


def covered_workers(assignment: Assignment) -> list[User]:
    """The active workers an assignment covers, by crew and name."""
    query = select(User).join(Crew, User.crew_id == Crew.id)
    if assignment.site_id is not None:
        query = query.where(Crew.site_id == assignment.site_id)
    else:
        query = query.where(Crew.id.in_([c.id for c in assignment.crews]))
    query = query.where(User.active.is_(True), User.role == Role.WORKER)
    return list(db.session.scalars(query.order_by(Crew.name, User.name)))


def assignment_standings(assignment: Assignment, now: datetime) -> list[WorkerStanding]:
    """Every covered worker with their standing, in two queries whatever the crew size."""
    workers = covered_workers(assignment)
    attempts = db.session.scalars(
        select(Attempt)
        .where(
            Attempt.bank_id == assignment.bank_id,
            Attempt.user_id.in_([w.id for w in workers]),
        )
        .order_by(Attempt.number)
    )
    by_worker: dict[int, list[Attempt]] = defaultdict(list)
    for attempt in attempts:
        by_worker[attempt.user_id].append(attempt)
    quiz = assignment.bank.latest.parsed.quiz
    return [
        WorkerStanding(
            worker,
            standing(
                [summarise(a) for a in by_worker[worker.id]],
                max_attempts=quiz.max_attempts,
                valid_for_days=assignment.validity_days,
                now=now,
                due_at=assignment.due_at,
            ),
        )
        for worker in workers
    ]
