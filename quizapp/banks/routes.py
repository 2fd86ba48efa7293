"""Officers' view of the question banks."""

from __future__ import annotations

from flask import Blueprint, render_template

from quizapp.auth.access import role_required
from quizapp.auth.models import Role
from quizapp.banks.services import list_banks

bp = Blueprint("banks", __name__, url_prefix="/banks")


@bp.get("/")
@role_required(Role.OFFICER, Role.ADMIN)
def index():
    """Every bank with its versions."""
    return render_template("banks/index.html", banks=list_banks())
