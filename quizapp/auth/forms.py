"""Sign-in form."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length


class SignInForm(FlaskForm):
    """Employee number and password; workers often have no e-mail address."""

    employee_no = StringField(
        _l("Employee number"),
        validators=[DataRequired(), Length(max=32)],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "inputmode": "text"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )
