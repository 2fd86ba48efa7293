"""Loading a bank version's finished attempts for item analysis.

The answers come from one streaming query (`yield_per`), read row by row into the compact
`AttemptResponses` of `quizapp.analytics.items` without building ORM objects, so a version with
a million answers costs memory for the numbers only. Practice is never stored, so it never
counts; attempts still running are left out.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter

from sqlalchemy import Float, String, Text, cast, func, literal, null, select, union_all
from sqlalchemy.orm import selectinload

from quizapp.analytics.items import (
    AttemptResponses,
    ItemResponse,
    VersionAnalysis,
    analyse,
    weak_topics,
)
from quizapp.analytics.snapshots import Fingerprint
from quizapp.auth.models import User
from quizapp.banks.format import Question
from quizapp.banks.models import Bank, BankVersion
from quizapp.crews.models import Crew
from quizapp.extensions import db
from quizapp.quizzes.grading import score_question
from quizapp.quizzes.models import Answer, Attempt

#: Rows fetched from the database at a time.
BATCH_SIZE = 2000


@dataclass(frozen=True)
class CrewResponses:
    """A finished attempt with the crew its worker belongs to now ("" for no crew)."""

    crew: str
    responses: AttemptResponses


def finished_responses(version: BankVersion) -> Iterator[CrewResponses]:
    """Every finished attempt of `version`, each with only the questions it drew.

    One statement streams each attempt's row (its drawn questions and its worker's crew) and
    then its answers' rows, so a layout crosses the wire once per attempt, not once per answer.
    A drawn question without a saved answer is unanswered ("" earning 0). An answer's points
    are those stored when the attempt was scored; should they be missing, the answer is scored
    again by the version's rules.
    """
    content = version.parsed
    questions = {question.id: question for question in content.questions}
    finished = (Attempt.bank_version_id == version.id, Attempt.submitted_at.is_not(None))
    attempts = (
        select(
            Attempt.id.label("attempt_id"),
            literal(0).label("kind"),
            # As text, decoded once per attempt below rather than once per row by the driver.
            cast(Attempt.layout, Text).label("layout"),
            Crew.name.label("crew"),
            cast(null(), String).label("question_id"),
            cast(null(), String).label("selected"),
            cast(null(), Float).label("points"),
        )
        .join(User, User.id == Attempt.user_id)
        .outerjoin(Crew, Crew.id == User.crew_id)
        .where(*finished)
    )
    answers = (
        select(
            Answer.attempt_id,
            literal(1),
            cast(null(), Text),
            cast(null(), String),
            Answer.question_id,
            Answer.selected,
            Answer.points,
        )
        .join(Attempt, Attempt.id == Answer.attempt_id)
        .where(*finished)
    )
    both = union_all(attempts, answers).subquery()
    # Core rows on the session's connection: plain tuples, no ORM bookkeeping per row.
    rows = db.session.connection().execute(
        select(both)
        .order_by(both.c.attempt_id, both.c.kind)
        .execution_options(yield_per=BATCH_SIZE)
    )
    scoring = content.quiz.scoring
    for attempt_id, group in groupby(rows, key=itemgetter(0)):
        # The attempt's own row comes first (kind 0), then one row per saved answer.
        head, *saved = group
        answered = {row[4]: (row[5], row[6]) for row in saved}
        responses = _responses(attempt_id, json.loads(head[2]), answered, questions, scoring)
        yield CrewResponses(head[3] or "", responses)


def _responses(
    attempt_id: int,
    layout: list[dict],
    answers: dict[str, tuple[str, float | None]],
    questions: dict[str, Question],
    scoring: str,
) -> AttemptResponses:
    """The drawn questions of one attempt as graded responses."""
    items = []
    for drawn in layout:
        question = questions[drawn["q"]]
        selected, earned = answers.get(question.id, ("", 0.0))
        if earned is None:
            earned = float(score_question(question, selected or "", scoring).earned)
        items.append(ItemResponse(question.id, selected or "", float(earned), question.points))
    return AttemptResponses(attempt_id, tuple(items))


def analyse_version(version: BankVersion) -> VersionAnalysis:
    """Item statistics of the version's finished attempts, and each crew's weakest topics."""
    questions = version.parsed.questions
    attempts: list[AttemptResponses] = []
    by_crew: dict[str, list[AttemptResponses]] = {}
    for item in finished_responses(version):
        attempts.append(item.responses)
        by_crew.setdefault(item.crew, []).append(item.responses)
    tagged = any(question.tags for question in questions)
    topics = weak_topics(questions, by_crew) if tagged else {}
    return VersionAnalysis(analyse(questions, attempts), topics)


def fingerprint(version: BankVersion) -> Fingerprint:
    """How many of the version's attempts are finished, and when the latest was."""
    attempts, last = db.session.execute(
        select(func.count(Attempt.id), func.max(Attempt.submitted_at)).where(
            Attempt.bank_version_id == version.id, Attempt.submitted_at.is_not(None)
        )
    ).one()
    # max() has the column's type, so `last` comes back as an aware UTC datetime.
    return Fingerprint(attempts, last)


def banks_with_counts() -> list[tuple[Bank, dict[int, int]]]:
    """Every bank with its versions, and per version id how many attempts are finished."""
    counts = dict(
        db.session.execute(
            select(Attempt.bank_version_id, func.count(Attempt.id))
            .where(Attempt.submitted_at.is_not(None))
            .group_by(Attempt.bank_version_id)
        ).all()
    )
    banks = db.session.scalars(
        select(Bank).options(selectinload(Bank.versions)).order_by(Bank.slug)
    )
    return [(bank, counts) for bank in banks if bank.versions]
