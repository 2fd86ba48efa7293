"""Signed-in sessions: idle and absolute limits, renewal at sign-in, sign-out (`-m security`)."""

from __future__ import annotations

import re
import time

import pytest
from flask.sessions import SecureCookieSessionInterface
from sqlalchemy import func, select

from quizapp import create_app
from quizapp.auth import cards, sessions
from quizapp.extensions import db
from quizapp.quizzes.models import Answer, Attempt
from tests.conftest import PASSWORD, sign_in

pytestmark = pytest.mark.security

HOUR = 3600


def wind_back(client, key: str, seconds: float) -> None:
    """Pretend one of the session's clocks was set `seconds` earlier."""
    with client.session_transaction() as session:
        session[key] -= seconds


def csrf_token(response) -> str:
    """The CSRF token a page hands its forms and scripts."""
    page = response.get_data(as_text=True)
    return re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)


def session_of(client) -> dict:
    """What the client's session cookie holds (the test knows the key; a person does not)."""
    with client.session_transaction() as session:
        return dict(session)


def test_sign_in_starts_both_clocks(client, make_user):
    before = time.time()
    sign_in(client, make_user())
    held = session_of(client)
    assert before <= held[sessions.SIGNED_IN_KEY] == held[sessions.SEEN_KEY] <= time.time()


def test_an_idle_session_ends_after_eight_hours(client, make_user):
    sign_in(client, make_user())
    wind_back(client, sessions.SEEN_KEY, 8 * HOUR - 60)
    assert client.get("/quizzes").status_code == 200  # idle for just under the limit

    wind_back(client, sessions.SEEN_KEY, 8 * HOUR + 1)
    response = client.get("/quizzes")
    assert response.status_code == 302 and response.location.startswith("/signin?next=")
    page = client.get("/signin").get_data(as_text=True)
    assert "You were signed out because your session ended." in page
    assert client.get("/quizzes").status_code == 302
    assert sessions.SIGNED_IN_KEY not in session_of(client)


def test_requests_keep_a_session_alive(client, make_user):
    sign_in(client, make_user())
    wind_back(client, sessions.SEEN_KEY, 7 * HOUR)
    assert client.get("/quizzes").status_code == 200
    assert time.time() - session_of(client)[sessions.SEEN_KEY] < 5  # the idle clock restarted
    wind_back(client, sessions.SEEN_KEY, 7 * HOUR)
    assert client.get("/quizzes").status_code == 200


def test_a_busy_session_still_ends_twelve_hours_after_sign_in(client, make_user):
    sign_in(client, make_user())
    wind_back(client, sessions.SIGNED_IN_KEY, 12 * HOUR - 60)
    assert client.get("/quizzes").status_code == 200
    wind_back(client, sessions.SIGNED_IN_KEY, 120)
    assert client.get("/quizzes").status_code == 302


def test_both_limits_are_settings(make_app, make_user):
    app = make_app(SESSION_IDLE_MINUTES=5, SESSION_ABSOLUTE_HOURS=1)
    with app.app_context():
        client, worker = app.test_client(), make_user()
        sign_in(client, worker)
        wind_back(client, sessions.SEEN_KEY, 5 * 60 + 1)
        assert client.get("/quizzes").status_code == 302

        sign_in(client, worker)
        wind_back(client, sessions.SIGNED_IN_KEY, HOUR + 1)
        assert client.get("/quizzes").status_code == 302
        db.session.remove()


def test_a_script_whose_session_ended_gets_401_and_nothing_is_saved(client, make_user, make_bank):
    worker, bank = make_user(), make_bank(time_limit="10m")
    sign_in(client, worker)
    client.post(f"/quizzes/{bank.slug}/start")
    attempt = db.session.scalars(select(Attempt)).one()
    wind_back(client, sessions.SEEN_KEY, 8 * HOUR + 1)

    response = client.post(
        f"/attempts/{attempt.id}/answers", json={"question_id": "q1", "selected": ["B"]}
    )
    assert response.status_code == 401 and response.get_json()["error"] == "signed_out"
    assert db.session.scalar(select(func.count()).select_from(Answer)) == 0

    # Signing in again, the worker finds the attempt still running and can go on.
    sign_in(client, worker)
    response = client.post(
        f"/attempts/{attempt.id}/answers", json={"question_id": "q1", "selected": ["B"]}
    )
    assert response.status_code == 200
    db.session.refresh(attempt)
    assert not attempt.is_final


def test_a_session_without_clocks_is_not_trusted(client, make_user):
    sign_in(client, make_user())
    with client.session_transaction() as session:
        del session[sessions.SIGNED_IN_KEY]
    assert client.get("/quizzes").status_code == 302


def test_clocks_cannot_be_reset_without_the_secret_key(app, client, make_user):
    worker = make_user()
    forged = {
        "_user_id": str(worker.id),
        "_fresh": True,
        sessions.SIGNED_IN_KEY: time.time(),
        sessions.SEEN_KEY: time.time(),
        sessions.SESSION_ID_KEY: "0" * 32,
    }
    # Signed with another key, the cookie is ignored as a whole: nobody is signed in.
    other = create_app(
        {"SECRET_KEY": "not-the-servers-key", "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    )
    cookie = SecureCookieSessionInterface().get_signing_serializer(other).dumps(forged)
    client.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie)
    assert client.get("/quizzes").status_code == 302

    # The real key makes the same content work: the signature is all that guards the clocks.
    genuine = SecureCookieSessionInterface().get_signing_serializer(app).dumps(forged)
    client.set_cookie(app.config["SESSION_COOKIE_NAME"], genuine)
    assert client.get("/quizzes").status_code == 200

    # Editing a genuine cookie's content breaks its signature.
    payload, signature = genuine.rsplit(".", 1)
    client.set_cookie(app.config["SESSION_COOKIE_NAME"], payload[:-2] + "AA." + signature)
    assert client.get("/quizzes").status_code == 302


def test_a_cookie_from_before_sign_in_carries_nothing_into_the_new_session(
    make_app, make_user, make_bank
):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        worker, start = make_user(), f"/quizzes/{make_bank().slug}/start"
        credentials = {"employee_no": worker.employee_no, "password": PASSWORD}
        worker_id = str(worker.id)
        db.session.remove()

    # Someone prepares a session on a shared tablet and keeps a copy of its cookie.
    planter = app.test_client()
    token_before = csrf_token(planter.get("/signin"))
    with planter.session_transaction() as session:
        session["planted"] = "by someone else"
    captured = planter.get_cookie("session").value

    # The worker signs in on that tablet, with that cookie.
    tablet = app.test_client()
    tablet.set_cookie("session", captured)
    response = tablet.post("/signin", data={**credentials, "csrf_token": token_before})
    assert response.status_code == 302
    assert tablet.get_cookie("session").value != captured
    held = session_of(tablet)
    assert "planted" not in held and held["_user_id"] == worker_id

    # The copy is worth nothing: it was never signed in, and its CSRF token is dead.
    assert planter.get("/quizzes").status_code == 302
    assert tablet.post(start, data={"csrf_token": token_before}).status_code == 400
    token_after = csrf_token(tablet.get("/quizzes"))
    assert token_after != token_before
    assert tablet.post(start, data={"csrf_token": token_after}).status_code == 302


def test_a_login_card_starts_the_clocks_too(client, make_user):
    worker = make_user()
    token = cards.issue_card(worker, by=None)
    db.session.commit()
    assert client.post(f"/card/{token}").status_code == 302
    assert sessions.SIGNED_IN_KEY in session_of(client)
    wind_back(client, sessions.SIGNED_IN_KEY, 12 * HOUR + 1)
    assert client.get("/quizzes").status_code == 302


def test_sign_out_ends_the_session_of_that_browser(app, client, make_user, make_bank):
    worker, bank = make_user(), make_bank(time_limit="10m")
    phone, tablet = client, app.test_client()
    sign_in(phone, worker)
    sign_in(tablet, worker)
    phone.post(f"/quizzes/{bank.slug}/start")
    attempt = db.session.scalars(select(Attempt)).one()

    assert phone.post("/signout").status_code == 302
    held = session_of(phone)
    assert "_user_id" not in held and sessions.SIGNED_IN_KEY not in held
    assert phone.get("/quizzes").status_code == 302
    save = phone.post(
        f"/attempts/{attempt.id}/answers", json={"question_id": "q1", "selected": ["B"]}
    )
    assert save.status_code in (302, 401)
    assert db.session.scalar(select(func.count()).select_from(Answer)) == 0
    # Each browser signs out on its own: the worker's other device is still signed in.
    assert tablet.get("/quizzes").status_code == 200


def test_sign_out_ends_copies_of_the_session_elsewhere(app, client, make_user):
    worker = make_user()
    sign_in(client, worker)
    other_device = app.test_client()
    sign_in(other_device, worker)
    copy = app.test_client()
    with client.session_transaction() as original, copy.session_transaction() as copied:
        copied.update(original)
    assert copy.get("/quizzes").status_code == 200

    assert client.post("/signout").status_code == 302

    # The lifted cookie is dead, whoever holds it; the worker's other device goes on.
    assert copy.get("/quizzes").status_code == 302
    assert copy.get("/quizzes", headers={"Accept": "application/json"}).status_code in (302, 401)
    assert other_device.get("/quizzes").status_code == 200


def test_ended_sessions_are_forgotten_once_they_could_have_expired(app, client, make_user):
    from quizapp.auth.models import EndedSession

    worker = make_user()
    sign_in(client, worker)
    wind_back(client, sessions.SIGNED_IN_KEY, 12 * HOUR + 5)
    wind_back(client, sessions.SEEN_KEY, 0)
    with client.session_transaction() as held:
        stale_sid = held[sessions.SESSION_ID_KEY]
    # Recorded as ended long ago: its absolute limit has passed.
    db.session.add(
        EndedSession(id=stale_sid, expires_at=sessions.datetime.fromtimestamp(0, sessions.UTC))
    )
    db.session.commit()
    fresh = app.test_client()
    sign_in(fresh, worker)
    assert fresh.post("/signout").status_code == 302
    remaining = set(db.session.scalars(select(EndedSession.id)))
    assert stale_sid not in remaining and len(remaining) == 1
