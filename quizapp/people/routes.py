"""Officers' pages about people: crews, their workers, extra time, deactivation, login cards."""

from __future__ import annotations

from flask import Blueprint, abort, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from quizapp.auth import cards
from quizapp.auth.access import role_required
from quizapp.auth.models import Role, User
from quizapp.crews.models import Crew
from quizapp.extensions import db
from quizapp.people import queries, services
from quizapp.people.forms import ExtraTimeForm, PrintCardsForm

bp = Blueprint("people", __name__, url_prefix="/people")

officers_only = role_required(Role.OFFICER, Role.ADMIN)


def get_crew_or_404(crew_id: int) -> Crew:
    """The crew with this id."""
    return db.get_or_404(Crew, crew_id)


def get_crew_worker_or_404(crew_id: int, user_id: int) -> tuple[Crew, User]:
    """The crew and one of its workers; a person of another crew (or no worker) answers 404."""
    crew = get_crew_or_404(crew_id)
    worker = db.session.get(User, user_id)
    if worker is None or worker.crew_id != crew.id or worker.role != Role.WORKER:
        abort(404)
    return crew, worker


@bp.get("/")
@officers_only
def index():
    """Every crew, grouped by site, with how many workers it has."""
    return render_template(
        "people/index.html",
        groups=queries.crews_by_site(),
        without_crew=queries.workers_without_crew(),
    )


@bp.get("/crews/<int:crew_id>")
@officers_only
def crew(crew_id: int):
    """A crew's workers with their extra time, whether they are active and their card."""
    crew = get_crew_or_404(crew_id)
    workers = queries.crew_workers(crew)
    return render_template(
        "people/crew.html",
        crew=crew,
        workers=workers,
        card_states=cards.card_states(workers),
        form=PrintCardsForm(),
    )


@bp.post("/crews/<int:crew_id>/cards")
@officers_only
def print_cards(crew_id: int):
    """Issue the crew's cards and show them, ready to print; the tokens are shown only now."""
    crew = get_crew_or_404(crew_id)
    form = PrintCardsForm()
    if not form.validate_on_submit():
        abort(400)
    issued = cards.issue_crew_cards(crew, reissue_all=form.reissue_all.data, by=current_user)
    db.session.commit()
    if not issued:
        flash(_("Every active worker of this crew has a card already."), "info")
        return redirect(url_for("people.crew", crew_id=crew.id))
    return _printable(crew, issued)


@bp.get("/crews/<int:crew_id>/workers/<int:user_id>")
@officers_only
def worker(crew_id: int, user_id: int):
    """One worker: extra time, active or not, and their login card."""
    crew, worker = get_crew_worker_or_404(crew_id, user_id)
    return _worker_page(crew, worker, ExtraTimeForm(multiplier=worker.time_multiplier))


@bp.post("/crews/<int:crew_id>/workers/<int:user_id>/extra-time")
@officers_only
def extra_time(crew_id: int, user_id: int):
    """Set the worker's time multiplier; it applies from their next attempt on."""
    crew, worker = get_crew_worker_or_404(crew_id, user_id)
    form = ExtraTimeForm()
    if not form.validate_on_submit():
        return _worker_page(crew, worker, form)
    services.set_time_multiplier(worker, form.multiplier.data, by=current_user)
    db.session.commit()
    flash(_("Extra time saved; it applies from the next attempt on."), "info")
    return redirect(url_for("people.worker", crew_id=crew.id, user_id=worker.id))


@bp.post("/crews/<int:crew_id>/workers/<int:user_id>/deactivate")
@officers_only
def deactivate(crew_id: int, user_id: int):
    """Stop the worker signing in; their sessions end at once and their records stay."""
    crew, worker = get_crew_worker_or_404(crew_id, user_id)
    services.deactivate(worker, by=current_user)
    db.session.commit()
    flash(_("%(name)s is deactivated.", name=worker.name), "info")
    return redirect(url_for("people.worker", crew_id=crew.id, user_id=worker.id))


@bp.post("/crews/<int:crew_id>/workers/<int:user_id>/reactivate")
@officers_only
def reactivate(crew_id: int, user_id: int):
    """Let the worker sign in again."""
    crew, worker = get_crew_worker_or_404(crew_id, user_id)
    services.reactivate(worker, by=current_user)
    db.session.commit()
    flash(_("%(name)s can sign in again.", name=worker.name), "info")
    return redirect(url_for("people.worker", crew_id=crew.id, user_id=worker.id))


@bp.post("/crews/<int:crew_id>/workers/<int:user_id>/card")
@officers_only
def issue_card(crew_id: int, user_id: int):
    """Issue (or re-issue) the worker's card and show it, ready to print."""
    crew, worker = get_crew_worker_or_404(crew_id, user_id)
    try:
        token = cards.issue_card(worker, by=current_user)
    except cards.CardError:
        flash(_("Reactivate %(name)s before issuing a card.", name=worker.name), "error")
        return redirect(url_for("people.worker", crew_id=crew.id, user_id=worker.id))
    db.session.commit()
    return _printable(crew, [(worker, token)])


@bp.post("/crews/<int:crew_id>/workers/<int:user_id>/card/revoke")
@officers_only
def revoke_card(crew_id: int, user_id: int):
    """Make the worker's card stop working (a lost card)."""
    crew, worker = get_crew_worker_or_404(crew_id, user_id)
    if cards.revoke_card(worker, by=current_user):
        flash(_("The card of %(name)s no longer works.", name=worker.name), "info")
    db.session.commit()
    return redirect(url_for("people.worker", crew_id=crew.id, user_id=worker.id))


def _worker_page(crew: Crew, worker: User, form: ExtraTimeForm):
    return render_template(
        "people/worker.html",
        crew=crew,
        worker=worker,
        card_state=cards.card_states([worker])[worker.id],
        form=form,
    )


def _printable(crew: Crew, issued: list[tuple[User, str]]):
    """The printable cards; never cached, since the tokens in them sign people in."""
    printed = [
        {"worker": worker, "qr": cards.qr_svg(cards.card_url(token))} for worker, token in issued
    ]
    response = make_response(render_template("people/cards.html", crew=crew, cards=printed))
    response.headers["Cache-Control"] = "no-store"
    return response
