"""Forms of the admin's API token page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField, widgets
from wtforms.validators import DataRequired, Length


class IssueTokenForm(FlaskForm):
    """A new token: what it is for, and the sites it may read (none: every site)."""

    name = StringField(
        _l("What it is for (e.g. the HR system)"), validators=[DataRequired(), Length(max=100)]
    )
    sites = SelectMultipleField(
        _l("Sites it may read (none ticked: every site)"),
        coerce=int,
        widget=widgets.ListWidget(prefix_label=False),
        option_widget=widgets.CheckboxInput(),
    )


class RevokeTokenForm(FlaskForm):
    """Revoking needs nothing but the CSRF token."""
