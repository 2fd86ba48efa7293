"""Signing in and out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from quizapp.auth import cards, sessions
from quizapp.auth.forms import SignInForm
from quizapp.auth.services import authenticate
from quizapp.extensions import db, limiter

bp = Blueprint("auth", __name__)


def _account_key() -> str:
    """Rate-limit key for the account being tried, whatever address it is tried from."""
    return "account:" + request.form.get("employee_no", "").strip().lower()


@bp.route("/signin", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["SIGNIN_LIMIT_PER_ADDRESS"], methods=["POST"])
@limiter.limit(
    lambda: current_app.config["SIGNIN_LIMIT_PER_ACCOUNT"], methods=["POST"], key_func=_account_key
)
def signin():
    """Show the sign-in form; sign the person in when their number and password match."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = SignInForm()
    if form.validate_on_submit():
        user = authenticate(form.employee_no.data, form.password.data)
        if user is not None:
            # A fresh session at sign-in: nothing from before survives into it.
            session.clear()
            login_user(user)
            db.session.commit()
            return redirect(safe_next(request.args.get("next")))
        flash(_("Employee number or password is wrong."), "error")
    return render_template("auth/signin.html", form=form)


@bp.route("/card/<token>", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config.get("CARD_LIMIT_PER_ADDRESS", cards.DEFAULT_LIMIT_PER_ADDRESS)
)
def card(token: str):
    """A scanned login card: ask "sign in as …?", and sign that worker in when confirmed."""
    user = cards.user_for_token(token)
    if user is None:
        # Unknown, revoked and deactivated cards look alike: nothing about them is revealed.
        return render_template("auth/card_invalid.html"), 404
    if request.method == "POST":
        session.clear()
        login_user(user)
        return redirect(url_for("main.index"))
    return render_template("auth/card.html", user=user, token=token)


@bp.route("/signout", methods=["POST"])
@login_required
def signout():
    """Sign out, ending this session wherever its cookie is, and return to the sign-in page."""
    sessions.end_session()
    logout_user()
    db.session.commit()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.signin"))


def safe_next(target: str | None) -> str:
    """Follow `next` only to a path on this site, never to another host."""
    if target:
        parts = urlsplit(target)
        relative = not parts.scheme and not parts.netloc
        if relative and target.startswith("/") and not target.startswith(("//", "/\\")):
            return target
    return url_for("main.index")
