"""The admin's page for API tokens: issue one (shown once), see them all, revoke one."""

from __future__ import annotations

from flask import Blueprint, abort, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from quizapp.api import services
from quizapp.api.forms import IssueTokenForm, RevokeTokenForm
from quizapp.api.models import ApiToken
from quizapp.auth.access import role_required
from quizapp.auth.models import Role
from quizapp.crews.models import Site
from quizapp.extensions import db

bp = Blueprint("api_tokens", __name__, url_prefix="/admin/api-tokens")

admins_only = role_required(Role.ADMIN)


def all_sites() -> list[Site]:
    """Every site, by name."""
    return list(db.session.scalars(select(Site).order_by(Site.name)))


@bp.route("/", methods=["GET", "POST"])
@admins_only
def index():
    """Every token with its sites and last use, and the form that issues a new one."""
    sites = all_sites()
    form = IssueTokenForm()
    form.sites.choices = [SelectChoice(site.id, site.name) for site in sites]
    if form.validate_on_submit():
        chosen = [site for site in sites if site.id in set(form.sites.data or [])]
        token, secret = services.issue_token(form.name.data, chosen, by=current_user)
        db.session.commit()
        response = make_response(render_template("api/issued.html", token=token, secret=secret))
        response.headers["Cache-Control"] = "no-store"
        return response
    return render_template(
        "api/tokens.html", form=form, tokens=services.all_tokens(), revoke=RevokeTokenForm()
    )


@bp.post("/<int:token_id>/revoke")
@admins_only
def revoke(token_id: int):
    """Stop a token working at once."""
    if not RevokeTokenForm().validate_on_submit():
        abort(400)
    token = db.get_or_404(ApiToken, token_id)
    services.revoke_token(token, by=current_user)
    db.session.commit()
    flash(_("Token “%(name)s” is revoked.", name=token.name), "info")
    return redirect(url_for("api_tokens.index"))
