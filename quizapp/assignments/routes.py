"""Officers assign quizzes to crews or sites and follow each worker's status."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from quizapp.assignments import queries, services
from quizapp.assignments.forms import AssignmentForm
from quizapp.assignments.models import Assignment
from quizapp.auth.access import role_required
from quizapp.auth.models import Role
from quizapp.banks.services import find_bank, open_banks
from quizapp.crews.models import Crew, Site
from quizapp.database import utcnow
from quizapp.extensions import db
from quizapp.quizzes.status import Status

bp = Blueprint("assignments", __name__, url_prefix="/assignments")

officers_only = role_required(Role.OFFICER, Role.ADMIN)


def get_assignment_or_404(assignment_id: int) -> Assignment:
    """The assignment with this id."""
    return db.get_or_404(Assignment, assignment_id)


def end_of_day(day) -> datetime:
    """The last moment of `day` in the site's time zone, as UTC: due means by the end of it."""
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    local = datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)
    return (local - timedelta(microseconds=1)).astimezone(ZoneInfo("UTC"))


@bp.get("/")
@officers_only
def index():
    """Active assignments, soonest due first, with how many workers are done."""
    now = utcnow()
    rows = []
    for assignment in queries.active_assignments():
        standings = queries.assignment_standings(assignment, now)
        counts = {status: 0 for status in Status}
        for item in standings:
            counts[item.standing.status] += 1
        rows.append((assignment, len(standings), counts))
    return render_template("assignments/index.html", rows=rows)


@bp.route("/new", methods=["GET", "POST"])
@officers_only
def new():
    """Assign a quiz to crews or a whole site."""
    form = AssignmentForm()
    form.bank.choices = [SelectChoice(b.slug, b.latest.title) for b in open_banks()]
    sites = db.session.scalars(select(Site).order_by(Site.name)).all()
    form.site.choices = [SelectChoice("", "—")] + [SelectChoice(str(s.id), s.name) for s in sites]
    crews = db.session.scalars(select(Crew).order_by(Crew.name)).all()
    form.crews.choices = [
        SelectChoice(c.id, f"{c.name} ({c.site.name})" if c.site else c.name) for c in crews
    ]
    if request.method == "GET" and request.args.get("bank"):
        form.bank.data = request.args["bank"]
    if form.validate_on_submit():
        bank = find_bank(form.bank.data)
        if bank is None:
            abort(400)
        assignment = services.create_assignment(
            bank,
            due_at=end_of_day(form.due.data),
            site=db.session.get(Site, int(form.site.data)) if form.site.data else None,
            crews=[c for c in crews if c.id in set(form.crews.data or [])],
            valid_for_days=form.valid_for_days.data,
            by=current_user,
        )
        db.session.commit()
        flash(_("Assigned."), "info")
        return redirect(url_for("assignments.detail", assignment_id=assignment.id))
    return render_template("assignments/new.html", form=form)


@bp.get("/<int:assignment_id>")
@officers_only
def detail(assignment_id: int):
    """Every covered worker with their status for this assignment."""
    assignment = get_assignment_or_404(assignment_id)
    standings = queries.assignment_standings(assignment, utcnow())
    return render_template("assignments/detail.html", assignment=assignment, standings=standings)


@bp.post("/<int:assignment_id>/cancel")
@officers_only
def cancel(assignment_id: int):
    """Withdraw an assignment; attempts made for it stay."""
    services.cancel_assignment(get_assignment_or_404(assignment_id), by=current_user)
    db.session.commit()
    flash(_("Assignment cancelled."), "info")
    return redirect(url_for("assignments.index"))
