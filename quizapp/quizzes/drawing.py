"""Drawing the questions of an attempt, and their choice order, once at its start."""

from __future__ import annotations

import random
from dataclasses import dataclass

from quizapp.banks.format import Bank


@dataclass(frozen=True, slots=True)
class DrawnQuestion:
    """A question as one attempt shows it: which question, and its choices in which order."""

    question_id: str
    #: Choice letters in display order; empty for true/false questions.
    choice_order: tuple[str, ...]

    def to_json(self) -> dict:
        """The form stored with the attempt."""
        return {"q": self.question_id, "c": list(self.choice_order)}

    @classmethod
    def from_json(cls, data: dict) -> DrawnQuestion:
        """Read back what `to_json` stored."""
        return cls(data["q"], tuple(data["c"]))


def draw(bank: Bank, rng: random.Random) -> list[DrawnQuestion]:
    """Pick `quiz.questions` questions (all by default) and order them and their choices.

    With shuffling off the bank's own order is kept, so an officer can fix a sequence.
    A random subset is still shown in bank order when question shuffling is off.
    """
    settings = bank.quiz
    questions = list(bank.questions)
    count = settings.questions or len(questions)
    if count < len(questions):
        chosen = set(rng.sample(range(len(questions)), count))
        questions = [q for i, q in enumerate(questions) if i in chosen]
    if settings.shuffle_questions:
        rng.shuffle(questions)
    drawn = []
    for question in questions:
        letters = [letter for letter, _text in question.choices]
        if settings.shuffle_choices:
            rng.shuffle(letters)
        drawn.append(DrawnQuestion(question.id, tuple(letters)))
    return drawn
