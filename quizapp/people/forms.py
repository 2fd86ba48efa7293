"""Forms of the people pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, FloatField
from wtforms.validators import InputRequired, ValidationError
from wtforms.widgets import NumberInput

from quizapp.people.services import MAX_TIME_MULTIPLIER, MIN_TIME_MULTIPLIER


class ExtraTimeForm(FlaskForm):
    """A worker's time multiplier: 1 is the quiz's own limit, 1.5 half as much time again."""

    multiplier = FloatField(
        _l("Time multiplier (1 to 3, e.g. 1.25, 1.5, 2)"),
        validators=[InputRequired()],
        widget=NumberInput(step="0.05", min=MIN_TIME_MULTIPLIER, max=MAX_TIME_MULTIPLIER),
    )

    def validate_multiplier(self, field) -> None:
        """A number from 1 to 3 (NumberRange would let "nan" through)."""
        if field.data is None:
            return  # not a number at all: FloatField has said so already
        if not MIN_TIME_MULTIPLIER <= field.data <= MAX_TIME_MULTIPLIER:
            raise ValidationError(_l("Enter a number from 1 to 3."))


class PrintCardsForm(FlaskForm):
    """Print login cards for a crew: for those without one, or new ones for everybody."""

    reissue_all = BooleanField(_l("Re-issue cards for everyone (their old cards stop working)"))
