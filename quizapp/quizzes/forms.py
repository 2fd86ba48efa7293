"""The answer form of one question, built afresh for each question shown."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, SelectMultipleField, widgets
from wtforms.validators import Optional


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes, one per choice."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class QuestionForm(FlaskForm):
    """Base of the per-question forms; `choice` is added by `question_form`."""


def question_form(question_type: str, choices: list[tuple[str, str]]) -> type[QuestionForm]:
    """A form class whose `choice` field offers `choices` (value, label) in display order.

    A field may be left empty: moving on without answering is allowed, and an empty
    submission withdraws an earlier answer.
    """
    field_class = MultiCheckboxField if question_type == "multiple" else RadioField
    options = [SelectChoice(value, label) for value, label in choices]
    field = field_class(choices=options, validators=[Optional()], validate_choice=True)
    return type("AnswerForm", (QuestionForm,), {"choice": field})
