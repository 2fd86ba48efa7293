"""The form that gives a manager their sites."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, widgets


class ManagerSitesForm(FlaskForm):
    """The sites whose reports one manager may read; the view fills in the choices."""

    sites = SelectMultipleField(
        _l("Sites"),
        coerce=int,
        widget=widgets.ListWidget(prefix_label=False),
        option_widget=widgets.CheckboxInput(),
    )
