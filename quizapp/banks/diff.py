"""What changed between two versions of a bank, for the officer to check before publishing."""

from __future__ import annotations

from dataclasses import dataclass, fields

from quizapp.banks.format import Bank, Question

#: Question fields compared, in the order a change is described.
COMPARED_FIELDS = ("type", "text", "choices", "answer", "explanation", "points", "image", "tags")


@dataclass(frozen=True, slots=True)
class QuestionChange:
    """A question present in both versions, and which of its fields differ."""

    question_id: str
    fields: tuple[str, ...]
    old: Question
    new: Question


@dataclass(frozen=True, slots=True)
class BankDiff:
    """Questions added, removed and changed, and the bank's own keys that changed."""

    added: tuple[Question, ...]
    removed: tuple[Question, ...]
    changed: tuple[QuestionChange, ...]
    #: (key, old value, new value) for title, language, description and each quiz setting.
    settings: tuple[tuple[str, object, object], ...]

    @property
    def is_empty(self) -> bool:
        """Nothing differs."""
        return not (self.added or self.removed or self.changed or self.settings)


def diff_banks(old: Bank, new: Bank) -> BankDiff:
    """Compare two versions question by question, matching questions by their id."""
    old_questions = {q.id: q for q in old.questions}
    new_questions = {q.id: q for q in new.questions}
    added = tuple(q for q in new.questions if q.id not in old_questions)
    removed = tuple(q for q in old.questions if q.id not in new_questions)
    changed = []
    for question in new.questions:
        before = old_questions.get(question.id)
        if before is None:
            continue
        differing = tuple(
            name for name in COMPARED_FIELDS if getattr(before, name) != getattr(question, name)
        )
        if differing:
            changed.append(QuestionChange(question.id, differing, before, question))
    settings = [
        (key, getattr(old, key), getattr(new, key))
        for key in ("title", "language", "description")
        if getattr(old, key) != getattr(new, key)
    ]
    settings += [
        (f"quiz.{f.name}", getattr(old.quiz, f.name), getattr(new.quiz, f.name))
        for f in fields(old.quiz)
        if getattr(old.quiz, f.name) != getattr(new.quiz, f.name)
    ]
    return BankDiff(added, removed, tuple(changed), tuple(settings))
