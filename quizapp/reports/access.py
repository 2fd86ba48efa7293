"""Who may read which reports: one decorator for the pages, one fetch-or-404 per kind of thing.

Managers see the sites they are given (`User.managed_sites`); officers and admins see every
site. Anything outside the reader's sites answers 404, so its existence is not revealed.
"""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from quizapp.auth.access import role_required
from quizapp.auth.models import Role, User
from quizapp.crews.models import Crew, Site
from quizapp.extensions import db
from quizapp.quizzes.models import Attempt
from quizapp.reports import queries
from quizapp.reports.queries import Scope

#: Report pages, exports and drill-downs: managers, officers and admins; workers get 403.
readers_only = role_required(Role.MANAGER, Role.OFFICER, Role.ADMIN)


def scope_of(user: User) -> Scope:
    """What `user` may see: a manager their sites, officers and admins everything."""
    if user.has_role(Role.MANAGER):
        return Scope(sites=frozenset(site.id for site in user.managed_sites))
    return Scope()


def reader_scope() -> Scope:
    """The signed-in reader's scope."""
    return scope_of(current_user)


def get_site_or_404(scope: Scope, site_id: int) -> Site:
    """The site, if the reader may see it."""
    return queries.site_in_scope(db.session, scope, site_id) or abort(404)


def get_crew_or_404(scope: Scope, crew_id: int) -> Crew:
    """The crew, if it is on one of the reader's sites."""
    return queries.crew_in_scope(db.session, scope, crew_id) or abort(404)


def get_worker_or_404(scope: Scope, user_id: int) -> User:
    """The worker, if their crew is on one of the reader's sites."""
    return queries.worker_in_scope(db.session, scope, user_id) or abort(404)


def get_attempt_or_404(scope: Scope, attempt_id: int) -> Attempt:
    """The attempt, if it is a worker's on one of the reader's sites."""
    return queries.attempt_in_scope(db.session, scope, attempt_id) or abort(404)
