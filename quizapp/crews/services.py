"""Operations on sites and crews; they flush and leave the commit to the caller."""

from __future__ import annotations

from sqlalchemy import select

from quizapp.crews.models import Crew, Site
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
