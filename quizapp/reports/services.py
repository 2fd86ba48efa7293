"""Changing who may read which reports; functions flush and leave the commit to the caller."""

from __future__ import annotations

from collections.abc import Sequence

from quizapp.audit.services import record
from quizapp.auth.models import Role, User
from quizapp.crews.models import Site
from quizapp.extensions import db


class ManagerSitesError(ValueError):
    """Sites given to someone who is not a manager."""


def set_manager_sites(manager: User, sites: Sequence[Site], *, by: User | None) -> None:
    """Make `sites` the ones whose reports the manager sees (none: no reports at all)."""
    if not manager.has_role(Role.MANAGER):
        raise ManagerSitesError("only managers are given sites; officers and admins see all")
    before = {site.name for site in manager.managed_sites}
    manager.managed_sites = sorted(sites, key=lambda site: site.name)
    after = {site.name for site in manager.managed_sites}
    if before != after:
        record(
            by,
            "manager.sites",
            f"manager {manager.employee_no} {manager.name}",
            added=sorted(after - before),
            removed=sorted(before - after),
        )
    db.session.flush()
