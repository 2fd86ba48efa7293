"""Read-only queries behind competitions and star workers.

The leaderboard is one aggregating statement (GROUP BY crew), whatever the number of workers
and attempts; `quizapp.competitions.standings` turns its figures into ranks.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Integer, cast, distinct, func, or_, select
from sqlalchemy.orm import selectinload

from quizapp.assignments.models import Assignment, assignment_crew
from quizapp.auth.models import Role, User
from quizapp.banks.models import Bank
from quizapp.competitions.models import Competition, competition_bank
from quizapp.competitions.standings import CrewTally
from quizapp.competitions.stars import FinishedAttempt, Requirement
from quizapp.crews.models import Crew, Site
from quizapp.extensions import db
from quizapp.quizzes.models import Attempt


def competitions() -> list[Competition]:
    """Every competition, the latest to start first."""
    query = select(Competition).options(selectinload(Competition.banks))
    return list(db.session.scalars(query.order_by(Competition.starts_at.desc(), Competition.id)))


def crew_tallies(competition: Competition) -> list[CrewTally]:
    """Each crew's figures for the competition, in one statement; crews without active workers
    are left out. See `standings` for what each figure means."""
    counted = (User.role == Role.WORKER, User.active.is_(True), User.crew_id.is_not(None))
    workers = (
        select(User.crew_id.label("crew_id"), func.count(User.id).label("workers"))
        .where(*counted)
        .group_by(User.crew_id)
        .subquery("workers")
    )
    banks = select(competition_bank.c.bank_id).where(
        competition_bank.c.competition_id == competition.id
    )
    # One row per (worker, bank): the best percent, in whole hundredths so that sums are exact.
    best = (
        select(
            User.crew_id.label("crew_id"),
            Attempt.user_id.label("user_id"),
            func.max(Attempt.percent).label("best"),
            func.count(Attempt.id).label("attempts"),
        )
        .join(User, User.id == Attempt.user_id)
        .where(
            *counted,
            Attempt.bank_id.in_(banks),
            Attempt.submitted_at >= competition.starts_at,
            Attempt.submitted_at < competition.ends_at,
            Attempt.percent.is_not(None),
        )
        .group_by(User.crew_id, Attempt.user_id, Attempt.bank_id)
        .subquery("best")
    )
    taken = (
        select(
            best.c.crew_id,
            func.count(distinct(best.c.user_id)).label("participants"),
            func.count().label("pairs"),
            func.sum(cast(func.round(best.c.best * 100), Integer)).label("best_hundredths"),
            func.sum(best.c.attempts).label("attempts"),
        )
        .group_by(best.c.crew_id)
        .subquery("taken")
    )
    query = (
        select(
            Crew.id,
            Crew.name,
            Site.name,
            workers.c.workers,
            func.coalesce(taken.c.participants, 0),
            func.coalesce(taken.c.pairs, 0),
            func.coalesce(taken.c.best_hundredths, 0),
            func.coalesce(taken.c.attempts, 0),
        )
        .join(workers, workers.c.crew_id == Crew.id)
        .outerjoin(taken, taken.c.crew_id == Crew.id)
        .outerjoin(Site, Site.id == Crew.site_id)
    )
    return [
        CrewTally(
            crew_id=crew_id,
            crew_name=crew_name,
            site_name=site_name,
            workers=int(count),
            participants=int(participants),
            pairs=int(pairs),
            best_hundredths=int(hundredths),
            attempts=int(attempts),
        )
        for crew_id, crew_name, site_name, count, participants, pairs, hundredths, attempts in (
            db.session.execute(query)
        )
    ]


# --- star workers ----------------------------------------------------------------------------


def finished_attempts(user_ids: Sequence[int], until: datetime) -> dict[int, list[FinishedAttempt]]:
    """Per person, their attempts submitted before `until`, in one query."""
    if not user_ids:
        return {}
    rows = db.session.execute(
        select(
            Attempt.user_id,
            Attempt.bank_id,
            Attempt.started_at,
            Attempt.submitted_at,
            Attempt.percent,
            Attempt.passed,
        )
        .where(
            Attempt.user_id.in_(user_ids),
            Attempt.submitted_at.is_not(None),
            Attempt.submitted_at < until,
        )
        .order_by(Attempt.started_at, Attempt.id)
    )
    by_user: dict[int, list[FinishedAttempt]] = defaultdict(list)
    for user_id, bank_id, started_at, submitted_at, percent, passed in rows:
        by_user[user_id].append(
            FinishedAttempt(bank_id, started_at, submitted_at, percent or 0.0, bool(passed))
        )
    return by_user


def requirements_of_crew(crew: Crew | None, end: datetime) -> list[Requirement]:
    """The assignments that covered `crew` (by crew or by its site) at `end`: made before it,
    due before it and not cancelled by then."""
    if crew is None:
        return []
    covers = [
        Assignment.id.in_(
            select(assignment_crew.c.assignment_id).where(assignment_crew.c.crew_id == crew.id)
        )
    ]
    if crew.site_id is not None:
        covers.append(Assignment.site_id == crew.site_id)
    assignments = db.session.scalars(
        select(Assignment)
        .where(
            or_(*covers),
            Assignment.created_at < end,
            Assignment.due_at < end,
            or_(Assignment.cancelled_at.is_(None), Assignment.cancelled_at >= end),
        )
        .options(selectinload(Assignment.bank).selectinload(Bank.versions))
        .order_by(Assignment.due_at, Assignment.id)
    )
    return [Requirement(a.bank_id, a.due_at, a.validity_days) for a in assignments]


def crew_workers(crew: Crew) -> list[User]:
    """The crew's active workers, by name."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.crew_id == crew.id, User.role == Role.WORKER, User.active.is_(True))
            .order_by(User.name, User.employee_no)
        )
    )


def visible_crews(user: User) -> list[Crew]:
    """The crews whose star workers `user` may see: a manager's sites', or every crew."""
    query = select(Crew).outerjoin(Site, Site.id == Crew.site_id)
    if user.has_role(Role.MANAGER):
        query = query.where(Crew.site_id.in_([site.id for site in user.managed_sites]))
    return list(db.session.scalars(query.order_by(Site.name.is_(None), Site.name, Crew.name)))


def bank_titles(bank_ids: Sequence[int]) -> dict[int, str]:
    """The title of each bank's newest version."""
    if not bank_ids:
        return {}
    banks = db.session.scalars(
        select(Bank).where(Bank.id.in_(set(bank_ids))).options(selectinload(Bank.versions))
    )
    return {bank.id: bank.latest.title for bank in banks if bank.versions}
