"""Kiosk mode: a shared site-office tablet that signs each worker out after use.

An officer switches it on for one device; the device then carries a long-lived signed cookie.
On such a device the server signs a person out when their session has been idle too long, and
kiosk.js does the same in the browser (and after a quiz result has been shown for a while).
Saved answers are never touched: an attempt stays in progress and its clock keeps running.
"""

from __future__ import annotations

import time
from datetime import timedelta

from flask import (
    Blueprint,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from itsdangerous import BadSignature, URLSafeSerializer

from quizapp.audit.services import record
from quizapp.auth.access import role_required
from quizapp.auth.models import Role
from quizapp.extensions import db

bp = Blueprint("kiosk", __name__)

COOKIE_NAME = "quizapp_kiosk"
#: Browsers keep a cookie at most about 400 days; an officer renews kiosk mode by switching it on.
COOKIE_MAX_AGE = timedelta(days=400)
#: Defaults of the KIOSK_IDLE_SECONDS and KIOSK_RESULT_SECONDS settings.
DEFAULT_IDLE_SECONDS = 120
DEFAULT_RESULT_SECONDS = 30
#: The session's last-activity time (seconds since the epoch) on a kiosk.
SEEN_KEY = "kiosk_seen"
#: Pages a person may still reach right after being signed out for inactivity, rather than
#: being sent to the sign-in page: signing in itself, and scanning a card.
_PASS_THROUGH = frozenset({"auth.signin", "auth.card", "main.language"})


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="quizapp.kiosk-mode")


def is_kiosk() -> bool:
    """Whether this request comes from a device an officer put in kiosk mode."""
    value = request.cookies.get(COOKIE_NAME)
    if not value:
        return False
    try:
        return _serializer().loads(value).get("kiosk") is True
    except (BadSignature, AttributeError):
        return False


def idle_seconds() -> float:
    """How long a session on a kiosk may go unused before the server signs it out."""
    return float(current_app.config.get("KIOSK_IDLE_SECONDS", DEFAULT_IDLE_SECONDS))


def browser_timings() -> dict[str, float]:
    """The timers kiosk.js runs with.

    The browser signs out a little before the server would, and tells the server about activity
    it sees (taps, typing, scrolling) at most every `ping` seconds, so a person who is reading
    without sending requests is never signed out by the server while the browser thinks they
    are active: (idle - 2 × ping) + ping stays below the server's limit.
    """
    idle = idle_seconds()
    ping = min(5.0, idle / 4)
    return {
        "idle": idle - 2 * ping,
        "ping": ping,
        "result": float(current_app.config.get("KIOSK_RESULT_SECONDS", DEFAULT_RESULT_SECONDS)),
    }


def remember_kiosk(response, by: str) -> None:
    """Make the device that receives `response` a kiosk (`by`: who switched it on)."""
    response.set_cookie(
        COOKIE_NAME,
        _serializer().dumps({"kiosk": True, "by": by}),
        max_age=COOKIE_MAX_AGE,
        **_cookie_flags(),
    )


def forget_kiosk(response) -> None:
    """Make the device that receives `response` an ordinary one again."""
    response.delete_cookie(COOKIE_NAME, **_cookie_flags())


def _cookie_flags() -> dict:
    secure = current_app.config["SESSION_COOKIE_SECURE"]
    return {"httponly": True, "samesite": "Lax", "secure": secure}


@bp.before_app_request
def sign_out_when_idle():
    """On a kiosk, end a session that has been idle too long; otherwise note the activity."""
    if request.endpoint in (None, "static") or not is_kiosk():
        return None
    if not current_user.is_authenticated:
        return None
    now = time.time()
    seen = session.get(SEEN_KEY)
    if isinstance(seen, int | float) and now - seen > idle_seconds():
        logout_user()
        session.pop(SEEN_KEY, None)
        message = _("You were signed out because this shared tablet was not used for a while.")
        if request.endpoint == "kiosk.ping" or request.is_json:
            return jsonify(error="signed_out", message=message), 401
        flash(message, "info")
        if request.endpoint in _PASS_THROUGH:
            return None
        return redirect(url_for("auth.signin"))
    session[SEEN_KEY] = now
    return None


@bp.app_context_processor
def kiosk_context() -> dict:
    """`kiosk` (and the timers of kiosk.js) for every template."""
    if not is_kiosk():
        return {"kiosk": False}
    return {"kiosk": True, "kiosk_timings": browser_timings()}


@bp.route("/kiosk", methods=["GET", "POST"])
@role_required(Role.OFFICER, Role.ADMIN)
def settings():
    """Show whether this device is a kiosk; switch kiosk mode on or off for it."""
    if request.method == "GET":
        return render_template("kiosk/settings.html", idle=int(idle_seconds()))
    mode = request.form.get("mode")
    if mode not in {"on", "off"}:
        return redirect(url_for("kiosk.settings"))
    record(
        current_user,
        f"kiosk.{mode}",
        f"device {request.remote_addr}",
        user_agent=request.user_agent.string[:200],
    )
    db.session.commit()
    response = redirect(url_for("kiosk.settings"))
    if mode == "on":
        remember_kiosk(response, current_user.employee_no)
        flash(_("Kiosk mode is on for this device."), "info")
    else:
        forget_kiosk(response)
        flash(_("Kiosk mode is off for this device."), "info")
    return response


@bp.get("/kiosk/ping")
def ping():
    """kiosk.js reports activity the server cannot see; 401 once the session has ended."""
    response = current_app.response_class(status=204 if current_user.is_authenticated else 401)
    response.headers["Cache-Control"] = "no-store"
    return response
