"""Signed-in sessions end after a spell of disuse (idle) and a fixed time after sign-in (absolute).

Sessions are signed cookies, so the server keeps no list of them to expire. The two clocks
therefore live in the session itself, where the signature keeps them honest: a person cannot
wind them back without SECRET_KEY. Every request is checked before its view runs. The limits
are the SESSION_IDLE_MINUTES and SESSION_ABSOLUTE_HOURS settings; kiosk mode
(quizapp.auth.kiosk) adds its own, much shorter idle limit on shared tablets.

Signing out must also end copies of the cookie (one lifted from a shared tablet, say), which
the browser that signs out cannot reach. Each session therefore carries a random id, and
`end_session` records it as ended (quizapp.auth.models.EndedSession); a request presenting
an ended id is signed out like an expired one. Other sessions of the same person, on their
other devices, carry other ids and go on.
"""

from __future__ import annotations

import secrets
import time
from datetime import UTC, datetime
from functools import cache

from flask import Flask, current_app, flash, g, jsonify, request, session
from flask_babel import gettext as _
from flask_login import current_user, logout_user, user_logged_in, user_logged_out
from sqlalchemy import bindparam, delete, exists, select

from quizapp.auth.models import EndedSession, User
from quizapp.extensions import db

#: When the person signed in, and when the session last served a request (seconds since
#: the epoch).
SIGNED_IN_KEY = "signed_in_at"
SEEN_KEY = "seen_at"
#: The session's random id, recorded when it is signed out.
SESSION_ID_KEY = "sid"
#: The last-seen time is rewritten at most this often, so that a quiz's stream of saved
#: answers does not send a new cookie with every answer.
SEEN_RESOLUTION_SECONDS = 60


def init_app(app: Flask) -> None:
    """Start the clocks at every sign-in, stop them at sign-out, check them on every request."""
    user_logged_in.connect(start_clocks, app)
    user_logged_out.connect(stop_clocks, app)
    app.before_request(end_expired_session)


def start_clocks(_sender: Flask, **_extra) -> None:
    """At sign-in (by password or card): the session is new, both clocks start now."""
    now = time.time()
    session[SIGNED_IN_KEY] = now
    session[SEEN_KEY] = now
    session[SESSION_ID_KEY] = secrets.token_hex(16)


def stop_clocks(_sender: Flask, **_extra) -> None:
    """At sign-out (by the person or by a limit): the session holds no clocks any more."""
    session.pop(SIGNED_IN_KEY, None)
    session.pop(SEEN_KEY, None)
    session.pop(SESSION_ID_KEY, None)


def end_session() -> None:
    """Record this request's session as ended, so no copy of its cookie works any more.

    Call it before `logout_user`; the caller commits. Rows whose session would have hit its
    absolute limit by now are deleted on the way: nothing could present them any more.
    """
    sid, signed_in = session.get(SESSION_ID_KEY), session.get(SIGNED_IN_KEY)
    if not isinstance(sid, str) or not isinstance(signed_in, int | float):
        return
    absolute = _limits()[1]
    db.session.execute(delete(EndedSession).where(EndedSession.expires_at < datetime.now(UTC)))
    expires_at = datetime.fromtimestamp(signed_in + absolute, UTC)
    db.session.merge(EndedSession(id=sid, expires_at=expires_at))


def load_person(user_id: str) -> User | None:
    """Flask-Login's user loader: the person this session signed in, unless it was signed out.

    Whether the session's id is among the ended ones is asked in the same statement that
    loads the person, so checking every request for copied cookies costs no query of its
    own. An ended session loads nobody and `is_expired` says it has ended.
    """
    if not user_id.isdigit():
        return None
    parameters = {"user_id": int(user_id), "sid": session.get(SESSION_ID_KEY)}
    row = db.session.execute(_person_statement(), parameters).one_or_none()
    if row is None:
        return None
    person, g.session_ended = row
    return None if g.session_ended else person


@cache
def _person_statement():
    """The person and whether the session ended, built once: every request runs it."""
    ended = exists().where(EndedSession.id == bindparam("sid"))
    return select(User, ended).where(User.id == bindparam("user_id"))


def is_expired(now: float) -> bool:
    """Whether the signed-in session of this request has outlived either limit.

    A session without its clocks or its id was not started by a sign-in this code saw (say,
    a cookie from before these limits existed) and is not trusted either. A session that was
    signed out elsewhere (a copy of its cookie) has ended too.
    """
    signed_in, seen = session.get(SIGNED_IN_KEY), session.get(SEEN_KEY)
    sid = session.get(SESSION_ID_KEY)
    if not isinstance(signed_in, int | float) or not isinstance(seen, int | float):
        return True
    if not isinstance(sid, str):
        return True
    idle, absolute = _limits()
    if now - seen > idle or now - signed_in > absolute:
        return True
    # Loading the person (`load_person`) finds out whether the session was signed out.
    return not current_user.is_authenticated and g.get("session_ended", False)


def end_expired_session():
    """Sign out a session that has expired; otherwise note that it is in use.

    A page then goes on as for anybody signed out (pages that need a sign-in lead to it);
    a script's request is answered 401, so the quiz page keeps its unsent answers and asks
    the person to sign in again. Saved answers and running attempts are never touched.
    """
    if "_user_id" not in session or request.endpoint == "static":
        return None
    now = time.time()
    if not is_expired(now):
        # Coarse enough to spare cookies, fine enough against even a short idle limit.
        if now - session[SEEN_KEY] >= min(SEEN_RESOLUTION_SECONDS, _limits()[0] / 10):
            session[SEEN_KEY] = now
        return None
    logout_user()
    message = _("You were signed out because your session ended. Your saved answers are kept.")
    if request.is_json or request.accept_mimetypes.best == "application/json":
        return jsonify(error="signed_out", message=message), 401
    flash(message, "info")
    return None


def _limits() -> tuple[float, float]:
    """The idle and absolute limits, in seconds."""
    config = current_app.config
    return config["SESSION_IDLE_MINUTES"] * 60, config["SESSION_ABSOLUTE_HOURS"] * 3600
