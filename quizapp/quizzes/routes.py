"""The worker's quiz pages: the list, one question per screen, the overview and the result."""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required

from quizapp.banks.services import find_bank
from quizapp.database import expect_writes, utcnow
from quizapp.extensions import db
from quizapp.quizzes import queries, services
from quizapp.quizzes.forms import question_form
from quizapp.quizzes.models import Attempt
from quizapp.quizzes.presenting import ShownQuestion, present, shown_letters
from quizapp.quizzes.status import Standing, Status
from quizapp.quizzes.timing import seconds_left

bp = Blueprint("quizzes", __name__)


def refusal_message(code: str) -> str:
    """What a worker is told when the server refuses a quiz action."""
    return {
        "bank_retired": _("This quiz has been withdrawn."),
        "no_attempts_left": _("You have used all your attempts at this quiz."),
        "attempt_final": _("This attempt has already been submitted."),
        "too_late": _("Time was up; this answer arrived too late to count."),
        "unknown_question": _("That question is not part of this attempt."),
        "invalid_choice": _("That choice is not one of this question's choices."),
    }.get(code, _("That could not be done."))


@bp.app_template_global()
def status_label(standing: Standing) -> str:
    """A worker's standing with a quiz in words."""
    if standing.status == Status.PASSED and standing.valid_until is not None:
        return _("Passed, valid until %(date)s", date=format_date(standing.valid_until))
    if standing.status == Status.FAILED and standing.attempts_left is not None:
        return ngettext(
            "Not passed yet, %(num)d attempt left",
            "Not passed yet, %(num)d attempts left",
            standing.attempts_left,
        )
    # Only the text shown is translated: a quiz list asks this of every card.
    match standing.status:
        case Status.NOT_STARTED:
            return _("Not started")
        case Status.IN_PROGRESS:
            return _("In progress")
        case Status.PASSED:
            return _("Passed")
        case Status.FAILED:
            return _("Not passed yet")
        case Status.NO_ATTEMPTS_LEFT:
            return _("Not passed, no attempts left")
        case Status.OVERDUE:
            return _("Overdue")
        case Status.EXPIRED:
            return _("Pass expired, take it again")
    raise ValueError(f"no label for {standing.status!r}")


def get_own_attempt_or_404(attempt_id: int, *, for_update: bool = False) -> Attempt:
    """The signed-in person's attempt, finalised first if its time has run out; else 404.

    Somebody else's attempt answers 404, not 403, so its existence is not revealed. With
    `for_update` its row is locked as it is read (PostgreSQL), as saving an answer needs.
    """
    expect_writes()
    attempt = db.session.get(Attempt, attempt_id, with_for_update=for_update)
    if attempt is None or attempt.user_id != current_user.id:
        abort(404)
    if services.finalise_if_due(attempt):
        db.session.commit()
    return attempt


@bp.get("/quizzes")
@login_required
def index():
    """The quizzes open to the worker, with where they stand on each."""
    expect_writes()
    cards = queries.quiz_cards(current_user, utcnow())
    for card in cards:
        if card.running is not None and services.finalise_if_due(card.running):
            db.session.commit()
            return redirect(url_for("quizzes.index"))
    return render_template("quizzes/index.html", cards=cards)


@bp.post("/quizzes/<slug>/start")
@login_required
def start(slug: str):
    """Start (or resume) an attempt at the quiz and show its first open question."""
    bank = find_bank(slug)
    if bank is None or not bank.versions:
        abort(404)
    try:
        attempt = services.start_attempt(current_user, bank)
    except services.QuizError as refused:
        flash(refusal_message(refused.code), "error")
        return redirect(url_for("quizzes.index"))
    # Straight to the question, one round trip fewer on a slow network than via `resume`.
    target = _first_open_question(attempt)
    db.session.commit()
    return redirect(target)


@bp.get("/attempts/<int:attempt_id>")
@login_required
def resume(attempt_id: int):
    """Continue an attempt at its first unanswered question, or show its result."""
    attempt = get_own_attempt_or_404(attempt_id)
    if attempt.is_final:
        return redirect(url_for("quizzes.result", attempt_id=attempt.id))
    return redirect(_first_open_question(attempt))


def _first_open_question(attempt: Attempt) -> str:
    """The address of the attempt's first unanswered question (its last when all are)."""
    answered = {qid for qid, sel in attempt.selections().items() if sel}
    position = next(
        (i for i, d in enumerate(attempt.drawn, 1) if d.question_id not in answered),
        len(attempt.layout),
    )
    return url_for("quizzes.question", attempt_id=attempt.id, position=position)


@bp.route("/attempts/<int:attempt_id>/questions/<int:position>", methods=["GET", "POST"])
@login_required
def question(attempt_id: int, position: int):
    """One question per screen; posting the form saves the answer (the no-JavaScript path)."""
    attempt = get_own_attempt_or_404(attempt_id)
    if attempt.is_final:
        return redirect(url_for("quizzes.result", attempt_id=attempt.id))
    drawn = attempt.drawn
    if not 1 <= position <= len(drawn):
        abort(404)
    now = utcnow()
    left = seconds_left(attempt.deadline, now)
    if left == 0:
        return redirect(url_for("quizzes.overview", attempt_id=attempt.id))
    content = attempt.content
    shown = present(
        content.question(drawn[position - 1].question_id), drawn[position - 1], content.language
    )
    form_class = question_form(shown.type, [(c.value, c.text) for c in shown.choices])
    saved = attempt.selections().get(shown.id, "")
    form = form_class(data={"choice": list(saved) if shown.type == "multiple" else saved or None})

    if form.validate_on_submit():
        selected = form.choice.data or []
        try:
            services.save_answer(attempt, shown.id, selected, now=now)
        except services.QuizError as refused:
            db.session.rollback()
            flash(refusal_message(refused.code), "error")
            return redirect(url_for("quizzes.overview", attempt_id=attempt.id))
        db.session.commit()
        return redirect(_after_save(attempt, position, len(drawn)))

    return render_template(
        "quizzes/question.html",
        attempt=attempt,
        position=position,
        total=len(drawn),
        shown=shown,
        form=form,
        seconds_left=left,
        language=content.language,
    )


def _after_save(attempt: Attempt, position: int, total: int) -> str:
    """Where the button the worker pressed leads."""
    action = request.form.get("go", "next")
    if action == "prev" and position > 1:
        return url_for("quizzes.question", attempt_id=attempt.id, position=position - 1)
    if action == "next" and position < total:
        return url_for("quizzes.question", attempt_id=attempt.id, position=position + 1)
    if action.isdigit() and 1 <= int(action) <= total:
        return url_for("quizzes.question", attempt_id=attempt.id, position=int(action))
    return url_for("quizzes.overview", attempt_id=attempt.id)


@bp.post("/attempts/<int:attempt_id>/answers")
@login_required
def save(attempt_id: int):
    """Save one answer sent by the page's script; answers carry no hint of being right."""
    attempt = get_own_attempt_or_404(attempt_id, for_update=True)
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        return jsonify(error="bad_request"), 400
    question_id = payload.get("question_id")
    selected = payload.get("selected")
    recorded_left = payload.get("seconds_left")
    if isinstance(selected, str):
        selected = list(selected)
    if (
        not isinstance(question_id, str)
        or not isinstance(selected, list)
        or not all(isinstance(s, str) for s in selected)
        or not (recorded_left is None or isinstance(recorded_left, int | float))
        or isinstance(recorded_left, bool)
    ):
        return jsonify(error="bad_request"), 400
    try:
        services.save_answer(
            attempt, question_id, selected, seconds_left_when_recorded=recorded_left, locked=True
        )
    except services.QuizError as refused:
        db.session.rollback()
        status = 409 if refused.code in {"attempt_final", "too_late"} else 400
        return jsonify(error=refused.code, message=refusal_message(refused.code)), status
    # Read before the commit expires it: reading it after would start another transaction.
    deadline = attempt.deadline
    db.session.commit()
    return jsonify(saved=True, seconds_left=seconds_left(deadline, utcnow()))


@bp.get("/attempts/<int:attempt_id>/paper")
@login_required
def paper(attempt_id: int):
    """Every question of a running attempt as its pages show them, for the page's script.

    With it the page moves between questions without the network. It holds exactly what
    `present` shows (texts, choices, photo addresses), never the key or the explanations.
    """
    attempt = get_own_attempt_or_404(attempt_id)
    if attempt.is_final:
        return jsonify(error="attempt_final", message=refusal_message("attempt_final")), 409
    content = attempt.content
    shown = [present(content.question(d.question_id), d, content.language) for d in attempt.drawn]
    response = jsonify(
        attempt=attempt.id,
        language=content.language,
        questions=[_paper_question(attempt, question) for question in shown],
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _paper_question(attempt: Attempt, shown: ShownQuestion) -> dict:
    """One presented question as JSON, its photo as an address the page can load."""
    image = shown.image and url_for(
        "banks.image", version_id=attempt.bank_version_id, path=shown.image
    )
    choices = [{"value": c.value, "label": c.label, "text": c.text} for c in shown.choices]
    return {
        "id": shown.id,
        "type": shown.type,
        "text": shown.text,
        "image": image,
        "image_alt": shown.image_alt,
        "choices": choices,
    }


@bp.get("/attempts/<int:attempt_id>/overview")
@login_required
def overview(attempt_id: int):
    """Every question of the attempt, answered or not, and the submit button."""
    attempt = get_own_attempt_or_404(attempt_id)
    if attempt.is_final:
        return redirect(url_for("quizzes.result", attempt_id=attempt.id))
    selections = attempt.selections()
    answered = [bool(selections.get(d.question_id)) for d in attempt.drawn]
    return render_template(
        "quizzes/overview.html",
        attempt=attempt,
        answered=answered,
        seconds_left=seconds_left(attempt.deadline, utcnow()),
    )


@bp.post("/attempts/<int:attempt_id>/submit")
@login_required
def submit(attempt_id: int):
    """Submit the attempt; a second submission changes nothing and shows the result."""
    attempt = get_own_attempt_or_404(attempt_id)
    services.submit_attempt(attempt)
    db.session.commit()
    return redirect(url_for("quizzes.result", attempt_id=attempt.id))


@bp.get("/attempts/<int:attempt_id>/result")
@login_required
def result(attempt_id: int):
    """Score and pass or fail; the right answers too, when the bank's review policy allows."""
    attempt = get_own_attempt_or_404(attempt_id)
    if not attempt.is_final:
        return redirect(url_for("quizzes.resume", attempt_id=attempt.id))
    content = attempt.content
    review = []
    if services.review_allowed(attempt):
        selections = attempt.selections()
        for drawn in attempt.drawn:
            question = content.question(drawn.question_id)
            shown = present(question, drawn, content.language)
            review.append(
                {
                    "shown": shown,
                    "question": question,
                    "selected": selections.get(question.id, ""),
                    "yours": shown_letters(selections.get(question.id, ""), shown),
                    "key": shown_letters("".join(question.answer), shown),
                }
            )
    return render_template("quizzes/result.html", attempt=attempt, content=content, review=review)


@bp.get("/history")
@login_required
def history():
    """The worker's attempts, newest first."""
    return render_template("quizzes/history.html", attempts=queries.history(current_user))
