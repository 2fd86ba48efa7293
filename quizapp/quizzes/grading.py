"""Scoring answers by the rules of the bank format."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from quizapp.banks.format import Question, QuizSettings


@dataclass(frozen=True, slots=True)
class QuestionScore:
    """The points one answer earned out of the question's points."""

    question_id: str
    earned: Fraction
    possible: int

    @property
    def correct(self) -> bool:
        """Full marks."""
        return self.earned == self.possible


@dataclass(frozen=True, slots=True)
class Score:
    """The result of an attempt."""

    questions: tuple[QuestionScore, ...]
    earned: Fraction
    possible: int
    percent: Fraction
    passed: bool


def normalise_selection(selected: Iterable[str]) -> str:
    """The canonical stored form of a selection: sorted unique letters, e.g. "AC"."""
    return "".join(sorted(set(selected)))


def score_question(question: Question, selected: str, scoring: str) -> QuestionScore:
    """Points for `selected` (letters, "T" or "F"; empty when unanswered).

    `all_or_nothing`: full points for exactly the right letters, else none. `partial`, for
    multiple-answer questions only: each right letter picked earns a share of the points and
    each wrong letter picked takes a share away, never below zero, so ticking every box
    cannot score.
    """
    answer = set(question.answer)
    picked = set(selected)
    possible = question.points
    if picked == answer:
        return QuestionScore(question.id, Fraction(possible), possible)
    if scoring == "partial" and question.type == "multiple" and picked:
        hits = len(picked & answer)
        misses = len(picked - answer)
        share = max(Fraction(0), Fraction(hits - misses, len(answer)))
        return QuestionScore(question.id, share * possible, possible)
    return QuestionScore(question.id, Fraction(0), possible)


def score_attempt(
    questions: Iterable[Question], answers: Mapping[str, str], settings: QuizSettings
) -> Score:
    """Score the drawn `questions` against `answers` (question id → selection).

    Passing needs at least `pass_score` percent, compared exactly, so 79.99…% never rounds
    up to a pass.
    """
    scores = tuple(score_question(q, answers.get(q.id, ""), settings.scoring) for q in questions)
    earned = sum((s.earned for s in scores), Fraction(0))
    possible = sum(s.possible for s in scores)
    percent = earned * 100 / possible if possible else Fraction(0)
    return Score(scores, earned, possible, percent, percent >= settings.pass_score)
