"""Read-only queries behind the worker's pages."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import defer, selectinload

from quizapp.assignments.models import Assignment
from quizapp.assignments.queries import assignments_of
from quizapp.auth.models import User
from quizapp.banks.models import Bank, BankVersion
from quizapp.banks.services import open_banks
from quizapp.extensions import db
from quizapp.quizzes.models import Attempt
from quizapp.quizzes.status import Standing, Status, standing, summarise


@dataclass(frozen=True)
class QuizCard:
    """One quiz on a worker's list: the bank, its newest version and where they stand."""

    bank: Bank
    version: BankVersion
    standing: Standing
    running: Attempt | None
    #: The soonest-due assignment asking this quiz of the worker, if any.
    assignment: Assignment | None = None


def quiz_cards(user: User, now: datetime) -> list[QuizCard]:
    """The quizzes open to `user`: assigned ones first by due date, passed ones last."""
    banks = open_banks()
    assigned: dict[int, Assignment] = {}
    for assignment in assignments_of(user):
        assigned.setdefault(assignment.bank_id, assignment)
    # The standings need no drawn questions; the running attempt loads them if it must.
    attempts = db.session.scalars(
        select(Attempt)
        .where(Attempt.user_id == user.id)
        .options(defer(Attempt.layout))
        .order_by(Attempt.number)
    ).all()
    by_bank: dict[int, list[Attempt]] = defaultdict(list)
    for attempt in attempts:
        by_bank[attempt.bank_id].append(attempt)
    cards = []
    for bank in banks:
        mine = by_bank[bank.id]
        settings = bank.latest.parsed.quiz
        assignment = assigned.get(bank.id)
        summary = standing(
            [summarise(a) for a in mine],
            max_attempts=settings.max_attempts,
            valid_for_days=assignment.validity_days if assignment else settings.valid_for_days,
            now=now,
            due_at=assignment.due_at if assignment else None,
        )
        running = next((a for a in mine if not a.is_final), None)
        cards.append(QuizCard(bank, bank.latest, summary, running, assignment))
    return sorted(cards, key=_card_order)


def _card_order(card: QuizCard) -> tuple:
    done = card.standing.status in {Status.PASSED, Status.NO_ATTEMPTS_LEFT}
    due = card.assignment.due_at.timestamp() if card.assignment else float("inf")
    return (done, card.assignment is None, due, card.version.title)


def history(user: User) -> list[Attempt]:
    """A person's attempts, newest first, with their bank versions loaded."""
    return list(
        db.session.scalars(
            select(Attempt)
            .where(Attempt.user_id == user.id)
            .options(selectinload(Attempt.version).selectinload(BankVersion.bank))
            .order_by(Attempt.started_at.desc(), Attempt.id.desc())
        )
    )
