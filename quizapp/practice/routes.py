"""Practice pages: one question at a time, untimed, with the right answer and its explanation
straight after each answer. The round lives in the session; nothing is written to the database."""

from __future__ import annotations

import random

from flask import Blueprint, abort, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import login_required

from quizapp.banks.models import Bank, BankVersion
from quizapp.banks.services import find_bank
from quizapp.extensions import db
from quizapp.practice.rounds import Verdict, can_practise, new_round, practice_layout, verdict
from quizapp.quizzes.forms import question_form
from quizapp.quizzes.presenting import present, shown_letters

bp = Blueprint("practice", __name__, url_prefix="/practice")

#: The running round: {"bank": slug, "version": id, "questions": [ids], "results": "R.W…"}.
SESSION_KEY = "practice"
#: One character per question of the round in `results`.
NOT_ANSWERED = "."
RESULT_CODES = {Verdict.RIGHT: "R", Verdict.PARTLY: "P", Verdict.WRONG: "W"}


@bp.app_template_global()
def practice_allowed(version: BankVersion) -> bool:
    """Whether the quiz list offers practice for this bank version."""
    return can_practise(version.parsed)


def get_practice_bank_or_404(slug: str) -> Bank:
    """An open bank that may be practised; 404 for anything else."""
    bank = find_bank(slug)
    if (
        bank is None
        or not bank.versions
        or bank.retired_at is not None
        or not can_practise(bank.latest.parsed)
    ):
        abort(404)
    return bank


def running_round(bank: Bank) -> tuple[dict, BankVersion] | None:
    """The session's round for this bank and the version it was drawn from, if still there."""
    data = session.get(SESSION_KEY)
    if not isinstance(data, dict) or data.get("bank") != bank.slug:
        return None
    version = db.session.get(BankVersion, data.get("version") or 0)
    if version is None or version.bank_id != bank.id:
        return None
    known = {question.id for question in version.parsed.questions}
    questions = data.get("questions")
    results = data.get("results")
    if (
        not isinstance(questions, list)
        or not questions
        or not set(questions) <= known
        or not isinstance(results, str)
        or len(results) != len(questions)
    ):
        return None
    return data, version


@bp.get("/<slug>")
@login_required
def intro(slug: str):
    """What practice is, and the button that starts (or restarts) a round."""
    bank = get_practice_bank_or_404(slug)
    running = running_round(bank)
    next_position = None
    if running is not None and NOT_ANSWERED in running[0]["results"]:
        next_position = running[0]["results"].index(NOT_ANSWERED) + 1
    return render_template(
        "practice/intro.html", bank=bank, version=bank.latest, next_position=next_position
    )


@bp.post("/<slug>")
@login_required
def start(slug: str):
    """Draw a fresh round and show its first question."""
    bank = get_practice_bank_or_404(slug)
    questions = new_round(bank.latest.parsed, random.SystemRandom())
    session[SESSION_KEY] = {
        "bank": bank.slug,
        "version": bank.latest.id,
        "questions": questions,
        "results": NOT_ANSWERED * len(questions),
    }
    return redirect(url_for("practice.question", slug=bank.slug, position=1))


@bp.route("/<slug>/<int:position>", methods=["GET", "POST"])
@login_required
def question(slug: str, position: int):
    """One question; posting an answer shows at once whether it was right, the key and why."""
    bank = get_practice_bank_or_404(slug)
    running = running_round(bank)
    if running is None:
        flash(_("Start a practice round first."), "info")
        return redirect(url_for("practice.intro", slug=bank.slug))
    data, version = running
    if not 1 <= position <= len(data["questions"]):
        abort(404)
    content = version.parsed
    asked = content.question(data["questions"][position - 1])
    shown = present(asked, practice_layout(asked), content.language)
    form = question_form(shown.type, [(c.value, c.text) for c in shown.choices])()
    context = {
        "bank": bank,
        "version": version,
        "position": position,
        "total": len(data["questions"]),
        "shown": shown,
        "form": form,
    }
    if form.validate_on_submit():
        selected = form.choice.data or []
        if not selected:
            flash(_("Choose an answer first."), "error")
            return render_template("practice/question.html", **context)
        outcome = verdict(asked, list(selected), content.quiz.scoring)
        results = list(data["results"])
        results[position - 1] = RESULT_CODES[outcome]
        session[SESSION_KEY] = {**data, "results": "".join(results)}
        return render_template(
            "practice/feedback.html",
            **context,
            question=asked,
            selected="".join(sorted(selected)),
            verdict=outcome,
            yours=shown_letters("".join(sorted(selected)), shown),
            key=shown_letters("".join(asked.answer), shown),
        )
    return render_template("practice/question.html", **context)


@bp.get("/<slug>/done")
@login_required
def done(slug: str):
    """How the round went, and the way to another one."""
    bank = get_practice_bank_or_404(slug)
    running = running_round(bank)
    if running is None:
        return redirect(url_for("practice.intro", slug=bank.slug))
    results = running[0]["results"]
    return render_template(
        "practice/done.html",
        bank=bank,
        version=running[1],
        total=len(results),
        right=results.count(RESULT_CODES[Verdict.RIGHT]),
        partly=results.count(RESULT_CODES[Verdict.PARTLY]),
        answered=len(results) - results.count(NOT_ANSWERED),
    )
