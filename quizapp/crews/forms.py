"""Roster import forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, StringField
from wtforms.validators import DataRequired


class RosterUploadForm(FlaskForm):
    """The CSV roster and whether workers missing from it are deactivated."""

    file = FileField(
        _l("Roster (CSV: employee_no,name,crew,site,role; UTF-8 or GBK)"),
        validators=[FileRequired()],
        render_kw={"accept": ".csv,text/csv"},
    )
    deactivate_missing = BooleanField(_l("Deactivate active workers who are not in the file"))


class RosterApplyForm(FlaskForm):
    """The checked file, carried from the dry run to the confirmation unchanged."""

    payload = HiddenField(validators=[DataRequired()])
    filename = StringField(validators=[DataRequired()])
    deactivate_missing = BooleanField()
