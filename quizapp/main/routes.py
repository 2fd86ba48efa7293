"""The front door, the language switch and the health check."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, jsonify, redirect, request, session, url_for
from flask_login import current_user
from sqlalchemy import text

from quizapp.auth.routes import safe_next
from quizapp.extensions import db

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    """Send each person to where their work is."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.signin"))
    return redirect(url_for("quizzes.index"))


@bp.get("/language/<code>")
def language(code: str):
    """Remember the interface language chosen by the person, then go back."""
    if code not in current_app.config["LANGUAGES"]:
        abort(404)
    session["lang"] = code
    return redirect(safe_next(request.args.get("next")))


@bp.get("/healthz")
def healthz():
    """Whether the app answers and the database is reachable (for load balancers)."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 — any failure means "database down" to a probe
        db.session.rollback()
        return jsonify(status="error", app="ok", database="unreachable"), 503
    return jsonify(status="ok", app="ok", database="ok")
