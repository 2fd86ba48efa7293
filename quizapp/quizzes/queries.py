"""Read-only queries behind the worker's pages."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from quizapp.auth.models import User
from quizapp.banks.models import Bank, BankVersion
from quizapp.banks.services import open_banks
from quizapp.extensions import db
from quizapp.quizzes.models import Attempt
from quizapp.quizzes.status import AttemptSummary, Standing, standing


@dataclass(frozen=True)
class QuizCard:
    """One quiz on a worker's list: the bank, its newest version and where they stand."""

    bank: Bank
    version: BankVersion
    standing: Standing
    running: Attempt | None


def quiz_cards(user: User, now: datetime) -> list[QuizCard]:
    """The quizzes open to `user`, unfinished business first, then by title."""
    banks = open_banks()
    attempts = db.session.scalars(
        select(Attempt).where(Attempt.user_id == user.id).order_by(Attempt.number)
    ).all()
    by_bank: dict[int, list[Attempt]] = defaultdict(list)
    for attempt in attempts:
        by_bank[attempt.bank_id].append(attempt)
    cards = []
    for bank in banks:
        mine = by_bank[bank.id]
        settings = bank.latest.parsed.quiz
        summary = standing(
            [AttemptSummary(a.submitted_at, a.passed, a.percent) for a in mine],
            max_attempts=settings.max_attempts,
            valid_for_days=settings.valid_for_days,
            now=now,
        )
        running = next((a for a in mine if not a.is_final), None)
        cards.append(QuizCard(bank, bank.latest, summary, running))
    order = {"in_progress": 0, "failed": 1, "expired": 1, "not_started": 2}
    return sorted(cards, key=lambda c: order.get(c.standing.status, 3))


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
