"""What the item analysis pages show: each question's row, flags in words, topics per crew."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import gettext as _

from quizapp.analytics.items import (
    SCORE_BIN_LABELS,
    Flag,
    ItemStats,
    QuizAnalysis,
    TopicStat,
    VersionAnalysis,
    description,
)
from quizapp.banks.format import Question
from quizapp.quizzes.presenting import true_false_labels

#: Topics shown per crew, weakest first.
TOPICS_PER_CREW = 5


@dataclass(frozen=True)
class ChoiceShare:
    """How often one choice was picked, and whether it is (part of) the key."""

    label: str
    text: str
    share: float | None
    key: bool


@dataclass(frozen=True)
class ItemRow:
    """One question of the item table."""

    question: Question
    stats: ItemStats
    choices: tuple[ChoiceShare, ...]
    unanswered: float | None


@dataclass(frozen=True)
class CrewTopics:
    """A crew's weakest topics (tags)."""

    crew: str
    topics: tuple[TopicStat, ...]


def flag_name(flag: Flag) -> str:
    """A flag in two or three words, for the table."""
    return {
        Flag.TOO_EASY: _("Too easy"),
        Flag.TOO_HARD: _("Too hard"),
        Flag.NEGATIVE_DISCRIMINATION: _("Check the key"),
        Flag.LOW_DISCRIMINATION: _("Hardly tells apart"),
        Flag.UNUSED_DISTRACTOR: _("Unused wrong choice"),
        Flag.FEW_RESPONSES: _("Few answers"),
    }[flag]


def flag_sentence(flag: Flag) -> str:
    """The plain-language explanation of a flag (`items.describe`) in the reader's language."""
    template, values = description(flag)
    return _(template, **values)


def reliability_note(kr20: float | None) -> str:
    """What a KR-20 value means for the quiz."""
    if kr20 is None:
        return _(
            "Not enough data: KR-20 needs at least two attempts with the same number of "
            "questions whose scores differ."
        )
    if kr20 >= 0.8:
        return _("Good: the questions consistently measure the same knowledge.")
    if kr20 >= 0.7:
        return _("Acceptable for a training quiz.")
    return _(
        "Low: the questions do not measure one thing consistently; look at the flagged "
        "questions, or add questions."
    )


def item_rows(
    analysis: QuizAnalysis, questions: Sequence[Question], language: str | None
) -> list[ItemRow]:
    """The table's rows in bank order, with each choice's share and the key marked."""
    stats = {item.question_id: item for item in analysis.items}
    rows = []
    for question in questions:
        item = stats[question.id]
        shares = item.choice_shares
        if question.type == "true_false":
            yes, no = true_false_labels(language)
            options = (("T", "", yes), ("F", "", no))
        else:
            options = tuple((letter, letter, text) for letter, text in question.choices)
        choices = tuple(
            ChoiceShare(label or text, text, shares.get(value), value in question.answer)
            for value, label, text in options
        )
        rows.append(ItemRow(question, item, choices, shares.get("")))
    return rows


def crew_topics(result: VersionAnalysis, questions: Sequence[Question]) -> list[CrewTopics]:
    """Each crew's weakest tags (fewest right), crews by name; none when no question has tags."""
    if not any(question.tags for question in questions):
        return []
    topics = result.topics
    return [
        CrewTopics(crew, tuple(topics[crew][:TOPICS_PER_CREW]))
        for crew in sorted(topics, key=lambda name: (name == "", name))
        if topics[crew]
    ]


def score_bands() -> tuple[str, ...]:
    """The labels of the score distribution's bands."""
    return SCORE_BIN_LABELS
