"""Starting, answering, submitting and finalising attempts.

Functions flush and leave the commit to the request (or command) that called them.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import cache

from flask import current_app
from sqlalchemy import bindparam, func, select, update
from sqlalchemy.exc import IntegrityError

from quizapp.assignments.queries import validity_days_for
from quizapp.auth.models import User
from quizapp.banks.models import Bank
from quizapp.database import UTCDateTime, upsert_insert, utcnow
from quizapp.extensions import db
from quizapp.quizzes import totals
from quizapp.quizzes.drawing import draw
from quizapp.quizzes.grading import normalise_selection, score_attempt
from quizapp.quizzes.models import Answer, Attempt, Finish
from quizapp.quizzes.status import current_cycle, summarise
from quizapp.quizzes.timing import (
    TimingRules,
    Verdict,
    answer_verdict,
    deadline_for,
    is_due_for_finalisation,
)


class QuizError(Exception):
    """A quiz operation that cannot be carried out; `code` says why, for the page to explain."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def timing_rules() -> TimingRules:
    """The grace and offline window configured for this deployment."""
    config = current_app.config
    return TimingRules(
        grace=timedelta(seconds=config["ANSWER_GRACE_SECONDS"]),
        offline_window=timedelta(seconds=config["OFFLINE_WINDOW_SECONDS"]),
    )


def attempts_of(user: User, bank: Bank) -> list[Attempt]:
    """A person's attempts at a bank, oldest first."""
    query = select(Attempt).where(Attempt.user_id == user.id, Attempt.bank_id == bank.id)
    return list(db.session.scalars(query.order_by(Attempt.number)))


def start_attempt(
    user: User, bank: Bank, *, now: datetime | None = None, rng: random.Random | None = None
) -> Attempt:
    """Start an attempt at the bank's newest version, or return the one already running.

    The draw and the deadline are fixed here and stored. `max_attempts` counts the attempts
    of the current cycle: after a pass expires (by the assignment's refresher interval when
    one asks the quiz of `user`, else the bank's), the refresher starts afresh (see
    `status.current_cycle`). Starting never exceeds it, even from two tabs at once: both
    would take the same attempt number and the unique constraint lets only one through.
    """
    now = now or utcnow()
    if bank.retired_at is not None:
        raise QuizError("bank_retired")
    attempts = attempts_of(user, bank)
    for attempt in attempts:
        if not attempt.is_final and finalise_if_due(attempt, now):
            continue
        if not attempt.is_final:
            return attempt
    version = bank.latest
    content = version.parsed
    limit = content.quiz.max_attempts
    validity = validity_days_for(user, bank)
    cycle = current_cycle([summarise(a) for a in attempts], validity, now)
    if limit is not None and len(cycle) >= limit:
        raise QuizError("no_attempts_left")
    attempt = Attempt(
        user=user,
        bank=bank,
        version=version,
        number=len(attempts) + 1,
        started_at=now,
        deadline=deadline_for(now, content.quiz.time_limit, user.time_multiplier),
        layout=[item.to_json() for item in draw(content, rng or random.SystemRandom())],
    )
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
            db.session.flush()
            totals.count_start(user.id, bank.id)
    except IntegrityError:
        # Another request started an attempt with this number a moment ago: use that one.
        running = db.session.scalar(
            select(Attempt).where(
                Attempt.user_id == user.id,
                Attempt.bank_id == bank.id,
                Attempt.submitted_at.is_(None),
            )
        )
        if running is None:
            raise QuizError("no_attempts_left") from None
        return running
    return attempt


def finalise_if_due(attempt: Attempt, now: datetime | None = None) -> bool:
    """Submit an unattended attempt whose time (and offline window) has run out."""
    now = now or utcnow()
    if attempt.is_final or not is_due_for_finalisation(attempt.deadline, now, timing_rules()):
        return False
    return submit_attempt(attempt, now=now, finished_by=Finish.DEADLINE)


def save_answer(
    attempt: Attempt,
    question_id: str,
    selected: Iterable[str],
    *,
    now: datetime | None = None,
    seconds_left_when_recorded: float | None = None,
    locked: bool = False,
) -> None:
    """Save the selection for one question, replacing any earlier one.

    Refused with a QuizError when the attempt is final, when the answer arrives too late
    (see `timing.answer_verdict`), or when it names a question or choice the attempt lacks.
    The attempt row is locked first so a submission running at the same moment either
    sees this answer or makes it fail; an acknowledged answer is never left out of a score.
    `locked` says the caller read `attempt` with its row lock in this transaction already.
    """
    now = now or utcnow()
    locked_attempt = attempt if locked else _lock(attempt)
    if locked_attempt.is_final:
        raise QuizError("attempt_final")
    verdict = answer_verdict(
        locked_attempt.deadline,
        now,
        timing_rules(),
        seconds_left_when_recorded=seconds_left_when_recorded,
    )
    if verdict is Verdict.TOO_LATE:
        raise QuizError("too_late")
    selection = _checked_selection(locked_attempt, question_id, selected)
    _upsert_answer(locked_attempt.id, question_id, selection, now)


def submit_attempt(
    attempt: Attempt, *, now: datetime | None = None, finished_by: Finish = Finish.WORKER
) -> bool:
    """Submit and score the attempt; True if this call did it, False if it was already final.

    The submission claims the attempt with one conditional UPDATE, so double clicks, two tabs
    or a worker racing the deadline sweep all score it exactly once.
    """
    now = now or utcnow()
    claimed = db.session.execute(
        update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.submitted_at.is_(None))
        .values(submitted_at=now, finished_by=finished_by)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        db.session.refresh(attempt)
        return False
    db.session.refresh(attempt)
    content = attempt.content
    questions = [content.question(item.question_id) for item in attempt.drawn]
    score = score_attempt(questions, attempt.selections(), content.quiz)
    by_question = {s.question_id: s for s in score.questions}
    for answer in attempt.answers:
        result = by_question.get(answer.question_id)
        if result is not None:
            answer.points = float(result.earned)
            answer.correct = result.correct
    attempt.score = float(score.earned)
    attempt.max_score = score.possible
    attempt.percent = round(float(score.percent), 2)
    attempt.passed = score.passed
    db.session.flush()
    totals.count_submit(
        attempt.user_id,
        attempt.bank_id,
        submitted_at=now,
        percent=attempt.percent,
        passed=score.passed,
    )
    return True


def expire_attempts(now: datetime | None = None) -> int:
    """Finalise every attempt whose deadline and offline window have passed; return how many."""
    now = now or utcnow()
    cutoff = now - timing_rules().finalise_after
    overdue = db.session.scalars(
        select(Attempt).where(Attempt.submitted_at.is_(None), Attempt.deadline < cutoff)
    ).all()
    return sum(submit_attempt(a, now=now, finished_by=Finish.DEADLINE) for a in overdue)


def answered_count(attempt: Attempt) -> int:
    """How many questions of the attempt have a saved selection."""
    return db.session.scalar(
        select(func.count())
        .select_from(Answer)
        .where(Answer.attempt_id == attempt.id, Answer.selected != "")
    )


def _lock(attempt: Attempt) -> Attempt:
    """Reload the attempt holding its row lock (PostgreSQL); SQLite's write lock is enough."""
    return db.session.scalars(
        select(Attempt)
        .where(Attempt.id == attempt.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def _checked_selection(attempt: Attempt, question_id: str, selected: Iterable[str]) -> str:
    drawn = next((d for d in attempt.drawn if d.question_id == question_id), None)
    if drawn is None:
        raise QuizError("unknown_question")
    question = attempt.content.question(question_id)
    selection = normalise_selection(selected)
    allowed = {"T", "F"} if question.type == "true_false" else set(drawn.choice_order)
    if not set(selection) <= allowed:
        raise QuizError("invalid_choice")
    if question.type != "multiple" and len(selection) > 1:
        raise QuizError("invalid_choice")
    return selection


def _upsert_answer(attempt_id: int, question_id: str, selection: str, now: datetime) -> None:
    """Insert or replace the answer in one statement; concurrent saves keep the last."""
    connection = db.session.connection()
    # A Core statement on the session's connection: the ORM has nothing to track here.
    connection.execute(
        _upsert_statement(connection.dialect.name),
        {"attempt_id": attempt_id, "question_id": question_id, "selected": selection, "now": now},
    )


@cache
def _upsert_statement(dialect: str):
    """The upsert of one answer, built once per dialect: the busiest statement of a rush."""
    statement = upsert_insert(dialect)(Answer).values(
        attempt_id=bindparam("attempt_id"),
        question_id=bindparam("question_id"),
        selected=bindparam("selected"),
        saved_at=bindparam("now", type_=UTCDateTime),
    )
    return statement.on_conflict_do_update(
        index_elements=[Answer.attempt_id, Answer.question_id],
        set_={"selected": statement.excluded.selected, "saved_at": statement.excluded.saved_at},
    )


def review_allowed(attempt: Attempt) -> bool:
    """Whether the worker may now see the right answers and explanations of this attempt."""
    if not attempt.is_final:
        return False
    policy = attempt.content.quiz.review
    return policy == "after_submit" or (policy == "after_pass" and bool(attempt.passed))
