"""Read-only queries of the people pages."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select

from quizapp.auth.models import Role, User
from quizapp.crews.models import Crew, Site
from quizapp.extensions import db


@dataclass(frozen=True)
class CrewRow:
    """A crew on the people page, with how many workers it has (active and in all)."""

    crew: Crew
    active: int
    total: int


def crews_by_site() -> list[tuple[Site | None, list[CrewRow]]]:
    """Every crew with its worker counts, grouped by site; crews without a site come last."""
    counts = (
        select(
            User.crew_id,
            func.count().label("total"),
            func.sum(case((User.active.is_(True), 1), else_=0)).label("active"),
        )
        .where(User.role == Role.WORKER)
        .group_by(User.crew_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Crew, Site, counts.c.active, counts.c.total)
        .outerjoin(Site, Crew.site_id == Site.id)
        .outerjoin(counts, counts.c.crew_id == Crew.id)
        .order_by(Site.name.is_(None), Site.name, Crew.name)
    ).all()
    groups: list[tuple[Site | None, list[CrewRow]]] = []
    for crew, site, active, total in rows:
        if not groups or groups[-1][0] is not site:
            groups.append((site, []))
        groups[-1][1].append(CrewRow(crew, int(active or 0), int(total or 0)))
    return groups


def crew_workers(crew: Crew) -> list[User]:
    """The crew's workers, active ones first, by name."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.crew_id == crew.id, User.role == Role.WORKER)
            .order_by(User.active.desc(), User.name, User.employee_no)
        )
    )


def workers_without_crew() -> int:
    """How many workers belong to no crew (and so appear on no crew page)."""
    return db.session.scalar(
        select(func.count())
        .select_from(User)
        .where(User.role == Role.WORKER, User.crew_id.is_(None))
    )
