"""The upload form."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired


class UploadForm(FlaskForm):
    """One bank file: YAML, or a .zip with the bank and its images."""

    file = FileField(
        _l("Bank file: .yaml, .zip with images, Moodle GIFT (.gift) or Aiken (.txt)"),
        validators=[FileRequired()],
        render_kw={"accept": ".yaml,.yml,.zip,.gift,.txt"},
    )
