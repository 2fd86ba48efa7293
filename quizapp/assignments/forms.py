"""The form that assigns a quiz."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, SelectMultipleField, widgets
from wtforms.validators import DataRequired, NumberRange, Optional, ValidationError


class AssignmentForm(FlaskForm):
    """Bank, audience (crews or a site), due date and an optional refresher interval.

    Choices are filled in by the view from the database.
    """

    bank = SelectField(_l("Quiz"), validators=[DataRequired()])
    site = SelectField(_l("Whole site"), validators=[Optional()])
    crews = SelectMultipleField(
        _l("Or these crews"),
        coerce=int,
        widget=widgets.ListWidget(prefix_label=False),
        option_widget=widgets.CheckboxInput(),
    )
    due = DateField(_l("Due date"), validators=[DataRequired()])
    valid_for_days = IntegerField(
        _l("Pass valid for (days, empty: the bank's setting)"),
        validators=[Optional(), NumberRange(min=1, max=3650)],
    )

    def validate_crews(self, field) -> None:
        """Exactly one audience: a whole site, or a list of crews."""
        if bool(field.data) == bool(self.site.data):
            raise ValidationError(_l("Choose either a whole site or one or more crews."))
