"""Roster import in the browser: a dry run first, then the import itself."""

from __future__ import annotations

import base64
import binascii

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from quizapp.auth.access import role_required
from quizapp.auth.models import Role
from quizapp.crews.forms import RosterApplyForm, RosterUploadForm
from quizapp.crews.roster import RosterError, parse_roster
from quizapp.crews.services import apply_roster, plan_roster_import
from quizapp.extensions import db

bp = Blueprint("roster", __name__, url_prefix="/roster")


def _plan(data: bytes, filename: str, deactivate_missing: bool):
    rows = parse_roster(data, filename)
    plan = plan_roster_import(
        rows,
        deactivate_missing=deactivate_missing,
        importer_is_admin=current_user.role == Role.ADMIN,
    )
    return rows, plan


@bp.route("/import", methods=["GET", "POST"])
@role_required(Role.OFFICER, Role.ADMIN)
def upload():
    """Check a roster and show exactly what importing it would change; change nothing yet."""
    form = RosterUploadForm()
    if form.validate_on_submit():
        data = form.file.data.read()
        filename = form.file.data.filename or "roster.csv"
        try:
            _rows, plan = _plan(data, filename, form.deactivate_missing.data)
        except RosterError as error:
            return render_template("roster/upload.html", form=form, problems=error.problems), 422
        confirm = RosterApplyForm(
            payload=base64.b64encode(data).decode(),
            filename=filename,
            deactivate_missing=form.deactivate_missing.data,
        )
        return render_template("roster/preview.html", plan=plan, confirm=confirm)
    return render_template("roster/upload.html", form=form, problems=[])


@bp.post("/import/apply")
@role_required(Role.OFFICER, Role.ADMIN)
def apply():
    """Import the roster checked in the dry run; all rows or none."""
    form = RosterApplyForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        data = base64.b64decode(form.payload.data, validate=True)
    except (binascii.Error, ValueError):
        abort(400)
    try:
        rows, plan = _plan(data, form.filename.data, form.deactivate_missing.data)
    except RosterError as error:
        db.session.rollback()
        return render_template(
            "roster/upload.html", form=RosterUploadForm(), problems=error.problems
        ), 422
    summary = apply_roster(rows, plan, by=current_user)
    db.session.commit()
    flash(
        _(
            "Roster imported: %(create)d created, %(update)d changed, %(deactivate)d deactivated.",
            **summary,
        ),
        "info",
    )
    return redirect(url_for("roster.upload"))
