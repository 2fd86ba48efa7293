"""Practice rounds: which questions a round asks, and the feedback on one answer. Pure logic.

A round is a short list of question ids (it lives in the signed session cookie, so it is kept
small); nothing about practice is ever stored in the database, so it cannot count toward
completion, competitions, stars or statistics.
"""

from __future__ import annotations

import random
from enum import StrEnum

from quizapp.banks.format import Bank, Question
from quizapp.quizzes.drawing import DrawnQuestion
from quizapp.quizzes.grading import normalise_selection, score_question

#: Questions in one practice round; "practise again" draws a fresh round.
ROUND_SIZE = 10


class Verdict(StrEnum):
    """How a practice answer did."""

    RIGHT = "right"
    PARTLY = "partly"
    WRONG = "wrong"


def can_practise(bank: Bank) -> bool:
    """Whether a bank may be practised: not when its officer keeps the answers secret.

    Practice shows the right answer after every question; a bank whose `review` is `never`
    promises that workers are never shown its answers.
    """
    return bank.quiz.review != "never"


def new_round(bank: Bank, rng: random.Random, size: int = ROUND_SIZE) -> list[str]:
    """Up to `size` question ids drawn at random; in bank order when shuffling is off."""
    ids = [question.id for question in bank.questions]
    chosen = rng.sample(ids, min(size, len(ids)))
    if not bank.quiz.shuffle_questions:
        order = {question_id: index for index, question_id in enumerate(ids)}
        chosen.sort(key=order.__getitem__)
    return chosen


def practice_layout(question: Question) -> DrawnQuestion:
    """Practice shows choices in the bank's order, so the letters match the bank's own."""
    return DrawnQuestion(question.id, tuple(letter for letter, _text in question.choices))


def verdict(question: Question, selected: list[str], scoring: str) -> Verdict:
    """Right (full marks), partly right (some credit under partial scoring) or wrong."""
    result = score_question(question, normalise_selection(selected), scoring)
    if result.correct:
        return Verdict.RIGHT
    return Verdict.PARTLY if result.earned > 0 else Verdict.WRONG
