"""Operations on sites and crews; they flush and leave the commit to the caller."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from quizapp.crews.models import Crew, Site
from quizapp.crews.roster import (
    ExistingPerson,
    RosterError,
    RosterPlan,
    RosterProblem,
    RosterRow,
    plan_roster,
)
from quizapp.extensions import db


class CrewError(ValueError):
    """A crew or site request that contradicts what is stored."""


def find_or_create_site(name: str) -> Site:
    """Return the site called `name`, creating it when it does not exist yet."""
    name = _clean_name(name, "site")
    site = db.session.scalar(select(Site).where(Site.name == name))
    if site is None:
        site = Site(name=name)
        db.session.add(site)
        db.session.flush()
    return site


def find_or_create_crew(name: str, site_name: str | None = None) -> Crew:
    """Return the crew called `name`, creating it (on `site_name`, if given) when it is new.

    An existing crew is placed on `site_name` if it had no site; moving a crew from one site
    to another is refused, because it would silently move its workers' records too.
    """
    name = _clean_name(name, "crew")
    site = find_or_create_site(site_name) if site_name else None
    crew = db.session.scalar(select(Crew).where(Crew.name == name))
    if crew is None:
        crew = Crew(name=name, site=site)
        db.session.add(crew)
    elif site is not None and crew.site is None:
        crew.site = site
    elif site is not None and crew.site is not site:
        raise CrewError(f"crew {name!r} belongs to site {crew.site.name!r}, not {site.name!r}")
    db.session.flush()
    return crew


def _clean_name(name: str, what: str) -> str:
    name = name.strip()
    if not name:
        raise CrewError(f"a {what} needs a name")
    if len(name) > 100:
        raise CrewError(f"a {what} name has at most 100 characters")
    return name


def current_roster() -> tuple[dict[str, ExistingPerson], dict[str, str | None], set[str]]:
    """Everyone stored (by employee number), every crew with its site, and every site name."""
    from quizapp.auth.models import User

    people = {}
    for user in db.session.scalars(select(User).options(selectinload(User.crew))):
        crew = user.crew
        people[user.employee_no] = ExistingPerson(
            employee_no=user.employee_no,
            name=user.name,
            crew=crew.name if crew else None,
            site=crew.site.name if crew and crew.site else None,
            role=user.role,
            active=user.active,
        )
    crews = {
        crew.name: crew.site.name if crew.site else None
        for crew in db.session.scalars(select(Crew).options(selectinload(Crew.site)))
    }
    sites = set(db.session.scalars(select(Site.name)))
    return people, crews, sites


def plan_roster_import(
    rows: list[RosterRow], *, deactivate_missing: bool, importer_is_admin: bool
) -> RosterPlan:
    """Plan importing checked rows; only an admin may give or change roles other than worker.

    Raises RosterError naming each offending line.
    """
    people, crews, sites = current_roster()
    if not importer_is_admin:
        refused = [
            RosterProblem(row.file, row.line, _ROLE_REFUSED.format(no=row.employee_no))
            for row in rows
            if (row.role not in (None, "worker"))
            or (row.employee_no in people and people[row.employee_no].role != "worker")
        ]
        if refused:
            raise RosterError(refused)
    return plan_roster(
        rows,
        people,
        existing_crews=crews,
        deactivate_missing=deactivate_missing,
        existing_sites=sites,
    )


def apply_roster(rows: list[RosterRow], plan: RosterPlan, *, by=None) -> dict[str, int]:
    """Carry out a plan made from `rows`; return its summary. Nobody's history is deleted.

    New people get a random password nobody knows: workers sign in with a login card, or an
    officer sets a password for them.
    """
    from quizapp.audit.services import record
    from quizapp.auth.models import User
    from quizapp.auth.services import create_user, find_user

    by_number = {row.employee_no: row for row in rows}
    for person in plan.create:
        create_user(
            person.employee_no,
            person.name,
            person.role,
            crew_name=person.crew,
            site_name=person.site,
        )
    for update in plan.update:
        row = by_number[update.employee_no]
        user = find_user(update.employee_no)
        user.name = row.name
        if row.role:
            user.role = row.role
        if row.crew:
            user.crew = find_or_create_crew(row.crew, row.site)
        elif row.site and user.crew is not None:
            find_or_create_crew(user.crew.name, row.site)
    for person in plan.reactivate:
        find_user(person.employee_no).active = True
    for person in plan.deactivate:
        user: User = find_user(person.employee_no)
        user.active = False
    for crew_name, site_name in plan.placed_crews:
        find_or_create_crew(crew_name, site_name)
    db.session.flush()
    summary = plan.summary()
    record(by, "roster.import", f"roster {rows[0].file if rows else ''}", **summary)
    return summary


_ROLE_REFUSED = "{no}: only an administrator may import officers, managers or administrators"
