"""Turning a drawn question into what a page shows, without its answer key."""

from __future__ import annotations

import string
from dataclasses import dataclass

from quizapp.banks.format import Question
from quizapp.quizzes.drawing import DrawnQuestion

#: True/false labels in the bank's own language; Chinese banks are the default.
TRUE_FALSE_LABELS = {
    "zh": ("正确", "错误"),
    "en": ("True", "False"),
}


@dataclass(frozen=True, slots=True)
class ShownChoice:
    """One choice as shown: the value posted back, the label by position, and the text."""

    value: str
    label: str
    text: str


@dataclass(frozen=True, slots=True)
class ShownQuestion:
    """A question as a worker sees it: nothing here reveals the right answer."""

    id: str
    type: str
    text: str
    image: str | None
    choices: tuple[ShownChoice, ...]
    #: The image's text alternative: the bank's `image_alt`, else the question's text.
    image_alt: str | None = None


def true_false_labels(language: str | None) -> tuple[str, str]:
    """The words for true and false in a bank's language."""
    primary = (language or "zh").split("-")[0].lower()
    return TRUE_FALSE_LABELS.get(primary, TRUE_FALSE_LABELS["en"])


def present(question: Question, drawn: DrawnQuestion, language: str | None) -> ShownQuestion:
    """The question with its choices in the attempt's order, labelled A, B, C by position.

    Labels follow the display position, so a shuffled question still reads A, B, C; the
    posted value is the bank's own letter, which tells nothing about which one is right.
    """
    if question.type == "true_false":
        yes, no = true_false_labels(language)
        choices = (ShownChoice("T", "", yes), ShownChoice("F", "", no))
    else:
        texts = dict(question.choices)
        choices = tuple(
            ShownChoice(letter, string.ascii_uppercase[position], texts[letter])
            for position, letter in enumerate(drawn.choice_order)
        )
    alt = (question.image_alt or question.text) if question.image else None
    return ShownQuestion(
        question.id, question.type, question.text, question.image, choices, image_alt=alt
    )


def shown_letters(selection: str, shown: ShownQuestion) -> str:
    """A stored selection (bank letters) written in the labels the worker saw."""
    by_value = {c.value: c.label or c.text for c in shown.choices}
    return "、".join(by_value[v] for v in selection if v in by_value)
