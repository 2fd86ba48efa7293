"""Crew competitions with their leaderboard and big screen, and the monthly star workers."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms import SelectChoice

from quizapp.auth.access import role_required
from quizapp.auth.models import Role
from quizapp.banks.models import Bank
from quizapp.competitions import pages, queries, services
from quizapp.competitions.forms import CompetitionForm
from quizapp.competitions.models import Competition
from quizapp.competitions.standings import rank
from quizapp.competitions.stars import Month, StarRule
from quizapp.crews.models import Crew
from quizapp.database import utcnow
from quizapp.extensions import db
from quizapp.reports.routes import send_table

bp = Blueprint("competitions", __name__)

officers_only = role_required(Role.OFFICER, Role.ADMIN)
#: The star list of a crew: people who look after crews.
crew_readers = role_required(Role.MANAGER, Role.OFFICER, Role.ADMIN)


def display_zone() -> ZoneInfo:
    """The zone periods and months are reckoned in."""
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def get_competition_or_404(competition_id: int) -> Competition:
    """The competition with this id."""
    return db.get_or_404(Competition, competition_id)


def get_crew_or_404(crew_id: int) -> Crew:
    """A crew whose star workers the signed-in person may see."""
    crew = next((c for c in queries.visible_crews(current_user) if c.id == crew_id), None)
    return crew or abort(404)


def requested_month() -> Month:
    """The month named by ?month=YYYY-MM, the current one by default; 400 when malformed,
    404 for a month still to come."""
    current = Month.containing(utcnow(), display_zone())
    text = request.args.get("month")
    if not text:
        return current
    try:
        month = Month.parse(text)
    except ValueError:
        abort(400)
    if month > current:
        abort(404)
    return month


@bp.context_processor
def competition_helpers() -> dict:
    """Words and dates the competition and star templates use."""
    zone = display_zone()
    return {
        "last_day": lambda competition: pages.last_day(competition, zone),
        "first_day": lambda competition: competition.starts_at.astimezone(zone).date(),
        "competition_state": lambda competition: pages.state(competition, utcnow()),
        "state_label": pages.state_label,
        "rule_text": pages.rule_text,
        "rule_name": pages.rule_name,
        "rule_reason": pages.rule_reason,
        "star_rules": list(StarRule),
    }


# --- competitions --------------------------------------------------------------------------


@bp.get("/competitions/")
@login_required
def index():
    """Every competition, the latest first."""
    return render_template("competitions/index.html", competitions=queries.competitions())


@bp.route("/competitions/new", methods=["GET", "POST"])
@officers_only
def new():
    """Open a competition between crews."""
    form = CompetitionForm()
    banks = [b for b in db.session.scalars(select(Bank).order_by(Bank.slug)) if b.versions]
    form.banks.choices = [SelectChoice(b.id, f"{b.latest.title} ({b.slug})") for b in banks]
    if form.validate_on_submit():
        starts_at, ends_at = pages.period_bounds(
            form.first_day.data, form.last_day.data, display_zone()
        )
        chosen = set(form.banks.data)
        competition = services.create_competition(
            form.title.data,
            starts_at=starts_at,
            ends_at=ends_at,
            banks=[b for b in banks if b.id in chosen],
            by=current_user,
        )
        db.session.commit()
        flash(_("Competition created."), "info")
        return redirect(url_for("competitions.leaderboard", competition_id=competition.id))
    return render_template("competitions/new.html", form=form)


@bp.get("/competitions/<int:competition_id>")
@login_required
def leaderboard(competition_id: int):
    """The crews ranked, with the figures behind each score and how the score is made."""
    competition = get_competition_or_404(competition_id)
    standings = rank(queries.crew_tallies(competition))
    return render_template(
        "competitions/leaderboard.html", competition=competition, standings=standings
    )


@bp.get("/competitions/<int:competition_id>/leaderboard.<any(csv, xlsx):fmt>")
@login_required
def leaderboard_export(competition_id: int, fmt: str):
    """The leaderboard as CSV or XLSX, for whoever may see it."""
    competition = get_competition_or_404(competition_id)
    table = pages.leaderboard_table(rank(queries.crew_tallies(competition)))
    return send_table(table, fmt, f"{competition.title}-")


@bp.get("/competitions/<int:competition_id>/screen")
@login_required
def screen(competition_id: int):
    """The leaderboard in large type for the site office's screen; it reloads every minute."""
    competition = get_competition_or_404(competition_id)
    standings = rank(queries.crew_tallies(competition))
    return render_template(
        "competitions/screen.html", competition=competition, standings=standings, now=utcnow()
    )


# --- star workers ----------------------------------------------------------------------------


@bp.get("/stars")
@login_required
def my_stars():
    """The signed-in person's stars for a month, and why each rule is met or not."""
    month = requested_month()
    [mine] = pages.worker_stars([current_user], current_user.crew, month, display_zone(), utcnow())
    titles = queries.bank_titles(pages.mentioned_banks([mine]))
    return render_template(
        "competitions/my_stars.html",
        month=month,
        current=Month.containing(utcnow(), display_zone()),
        rating=mine.rating,
        titles=titles,
    )


@bp.get("/stars/crews")
@crew_readers
def crews():
    """The crews whose star workers the reader may see."""
    month = requested_month()
    return render_template(
        "competitions/star_crews.html", crews=queries.visible_crews(current_user), month=month
    )


@bp.get("/stars/crews/<int:crew_id>")
@crew_readers
def crew_stars(crew_id: int):
    """Every active worker of a crew with their stars for a month, rule by rule."""
    crew = get_crew_or_404(crew_id)
    month = requested_month()
    ratings = pages.worker_stars(queries.crew_workers(crew), crew, month, display_zone(), utcnow())
    ratings.sort(key=lambda item: (-item.rating.stars, item.worker.name))
    return render_template(
        "competitions/crew_stars.html",
        crew=crew,
        month=month,
        current=Month.containing(utcnow(), display_zone()),
        ratings=ratings,
        titles=queries.bank_titles(pages.mentioned_banks(ratings)),
    )
