"""The form that opens a competition."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectMultipleField, StringField, widgets
from wtforms.validators import DataRequired, Length, ValidationError


class CompetitionForm(FlaskForm):
    """Title, first and last day (inclusive) and the banks that count; banks filled by the view."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    first_day = DateField(_l("First day"), validators=[DataRequired()])
    last_day = DateField(_l("Last day"), validators=[DataRequired()])
    banks = SelectMultipleField(
        _l("Quizzes that count"),
        coerce=int,
        validators=[DataRequired(_l("Choose at least one quiz."))],
        widget=widgets.ListWidget(prefix_label=False),
        option_widget=widgets.CheckboxInput(),
    )

    def validate_last_day(self, field) -> None:
        """The period is at least one day long."""
        if self.first_day.data and field.data and field.data < self.first_day.data:
            raise ValidationError(_l("The last day cannot be before the first day."))
