"""The admin's page that gives each manager the sites whose reports they may read."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms import SelectChoice

from quizapp.auth.access import role_required
from quizapp.auth.models import Role, User
from quizapp.crews.models import Site
from quizapp.extensions import db
from quizapp.reports import services
from quizapp.reports.forms import ManagerSitesForm

bp = Blueprint("managers", __name__, url_prefix="/admin/managers")

admins_only = role_required(Role.ADMIN)


def sites_form(manager: User, sites: list[Site], *, formdata=True) -> ManagerSitesForm:
    """The form for one manager, its fields named apart from the other managers' forms."""
    kwargs = {} if formdata else {"formdata": None}
    form = ManagerSitesForm(prefix=f"m{manager.id}", **kwargs)
    form.sites.choices = [SelectChoice(site.id, site.name) for site in sites]
    if not formdata:
        form.sites.data = [site.id for site in manager.managed_sites]
    return form


def get_manager_or_404(user_id: int) -> User:
    """The manager with this id."""
    user = db.session.get(User, user_id)
    if user is None or not user.has_role(Role.MANAGER):
        abort(404)
    return user


@bp.get("/")
@admins_only
def index():
    """Every manager with the sites they see."""
    sites = list(db.session.scalars(select(Site).order_by(Site.name)))
    managers = db.session.scalars(
        select(User)
        .where(User.role == Role.MANAGER)
        .options(selectinload(User.managed_sites))
        .order_by(User.name, User.employee_no)
    ).all()
    rows = [(manager, sites_form(manager, sites, formdata=False)) for manager in managers]
    return render_template("admin/managers.html", rows=rows, sites=sites)


@bp.post("/<int:user_id>/sites")
@admins_only
def save(user_id: int):
    """Give a manager exactly the sites ticked."""
    manager = get_manager_or_404(user_id)
    sites = list(db.session.scalars(select(Site).order_by(Site.name)))
    form = sites_form(manager, sites)
    if not form.validate_on_submit():
        abort(400)
    chosen = [site for site in sites if site.id in set(form.sites.data or [])]
    services.set_manager_sites(manager, chosen, by=current_user)
    db.session.commit()
    names = "、".join(site.name for site in chosen) or _("no site")
    flash(_("%(name)s now sees: %(sites)s.", name=manager.name, sites=names), "info")
    return redirect(url_for("managers.index"))
