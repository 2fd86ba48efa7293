"""Kiosk mode: a shared tablet that signs people out after a quiz or when left alone."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from quizapp.audit.models import AuditEntry
from quizapp.auth import cards, kiosk
from quizapp.extensions import db
from quizapp.quizzes.models import Attempt
from tests.conftest import sign_in


def switch_kiosk(client, officer, mode: str):
    """An officer switches kiosk mode on or off for the client's device, then signs out."""
    sign_in(client, officer)
    response = client.post("/kiosk", data={"mode": mode})
    client.post("/signout")
    return response


@pytest.fixture
def tablet(app, make_user):
    """A browser an officer has put in kiosk mode (nobody signed in)."""
    client = app.test_client()
    switch_kiosk(client, make_user("officer"), "on")
    return client


def go_idle(client, seconds: float) -> None:
    """Pretend the signed-in person last did something `seconds` ago."""
    with client.session_transaction() as session:
        session[kiosk.SEEN_KEY] -= seconds


def test_an_officer_switches_kiosk_mode_on_and_off_for_one_device(client, app, make_user):
    officer = make_user("officer")
    sign_in(client, officer)
    assert "Kiosk mode is off" in client.get("/kiosk").get_data(as_text=True)

    response = client.post("/kiosk", data={"mode": "on"})
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith(f"{kiosk.COOKIE_NAME}=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert int(re.search(r"Max-Age=(\d+)", cookie).group(1)) >= 365 * 24 * 3600
    assert "Kiosk mode is on" in client.get("/kiosk").get_data(as_text=True)
    other_device = app.test_client()
    sign_in(other_device, officer)
    assert "Kiosk mode is off" in other_device.get("/kiosk").get_data(as_text=True)

    response = client.post("/kiosk", data={"mode": "off"})
    assert f"{kiosk.COOKIE_NAME}=;" in response.headers["Set-Cookie"]
    assert client.get_cookie(kiosk.COOKIE_NAME) is None
    assert "Kiosk mode is off" in client.get("/kiosk").get_data(as_text=True)

    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action.like("kiosk.%")).order_by(AuditEntry.id)
    ).all()
    assert [(e.action, e.actor_id) for e in entries] == [
        ("kiosk.on", officer.id),
        ("kiosk.off", officer.id),
    ]


def test_a_forged_kiosk_cookie_is_ignored(client, make_user):
    client.set_cookie(kiosk.COOKIE_NAME, "kiosk")
    assert "Shared tablet" not in client.get("/signin").get_data(as_text=True)
    sign_in(client, make_user())
    with client.session_transaction() as session:
        assert kiosk.SEEN_KEY not in session


def test_the_sign_in_page_of_a_kiosk_explains_itself(tablet, client):
    page = tablet.get("/signin").get_data(as_text=True)
    assert "Shared tablet: you will be signed out automatically." in page
    assert "Scan its QR code" in page
    assert "Shared tablet" not in client.get("/signin").get_data(as_text=True)


def test_kiosk_pages_load_kiosk_js_with_its_settings(tablet, make_user):
    sign_in(tablet, make_user())
    page = tablet.get("/quizzes").get_data(as_text=True)
    assert "/static/kiosk.js" in page
    assert 'id="kiosk-signout"' in page and 'data-idle-seconds="110.0"' in page
    assert "style=" not in page and "<script>" not in page


def test_an_idle_session_on_a_kiosk_is_signed_out_by_the_server(tablet, make_user, make_bank):
    worker = make_user()
    bank = make_bank(time_limit="10m")
    sign_in(tablet, worker)
    tablet.post(f"/quizzes/{bank.slug}/start")
    attempt = db.session.scalars(select(Attempt)).one()
    tablet.post(f"/attempts/{attempt.id}/questions/1", data={"choice": "B"})

    go_idle(tablet, 60)
    assert tablet.get("/quizzes").status_code == 200  # still within the limit: and it resets
    go_idle(tablet, kiosk.DEFAULT_IDLE_SECONDS + 1)
    response = tablet.get("/quizzes")
    assert response.status_code == 302 and response.location == "/signin"
    page = tablet.get("/signin").get_data(as_text=True)
    assert "signed out because this shared tablet was not used" in page
    assert tablet.get("/quizzes").status_code == 302

    db.session.refresh(attempt)
    assert not attempt.is_final and attempt.selections() == {"q1": "B"}  # answers kept
    sign_in(tablet, worker)
    assert tablet.get(f"/attempts/{attempt.id}").status_code == 302  # resumes


def test_the_idle_limit_is_a_setting(make_app, make_user):
    app = make_app(KIOSK_IDLE_SECONDS=5)
    with app.app_context():
        client = app.test_client()
        switch_kiosk(client, make_user("officer"), "on")
        sign_in(client, make_user())
        client.get("/quizzes")
        go_idle(client, 6)
        assert client.get("/quizzes").status_code == 302
        db.session.remove()


def test_an_idle_script_request_gets_401_not_a_page(tablet, make_user, make_bank):
    sign_in(tablet, make_user())
    tablet.post(f"/quizzes/{make_bank().slug}/start")
    attempt = db.session.scalars(select(Attempt)).one()
    go_idle(tablet, kiosk.DEFAULT_IDLE_SECONDS + 1)
    response = tablet.post(
        f"/attempts/{attempt.id}/answers", json={"question_id": "q1", "selected": ["B"]}
    )
    assert response.status_code == 401 and response.json["error"] == "signed_out"
    db.session.refresh(attempt)
    assert attempt.selections() == {}


def test_outside_kiosk_mode_idle_sessions_last(client, make_user):
    sign_in(client, make_user())
    client.get("/quizzes")
    with client.session_transaction() as session:
        session[kiosk.SEEN_KEY] = 0  # even a stale stamp means nothing on an ordinary device
    assert client.get("/quizzes").status_code == 200


def test_activity_the_server_cannot_see_is_reported_by_ping(tablet, app, make_user):
    sign_in(tablet, make_user())
    tablet.get("/quizzes")
    go_idle(tablet, kiosk.DEFAULT_IDLE_SECONDS - 5)
    response = tablet.get("/kiosk/ping")
    assert response.status_code == 204 and response.headers["Cache-Control"] == "no-store"
    go_idle(tablet, 10)  # 10 s since the ping, though long since the last page
    assert tablet.get("/quizzes").status_code == 200

    go_idle(tablet, kiosk.DEFAULT_IDLE_SECONDS + 1)
    assert tablet.get("/kiosk/ping").status_code == 401
    assert app.test_client().get("/kiosk/ping").status_code == 401


def test_the_result_page_of_a_kiosk_offers_done_and_signs_out_soon(
    tablet, client, make_user, make_bank
):
    bank = make_bank()
    for browser in (tablet, client):
        sign_in(browser, make_user())
        browser.post(f"/quizzes/{bank.slug}/start")
        attempt = db.session.scalars(select(Attempt).where(Attempt.submitted_at.is_(None))).one()
        browser.post(f"/attempts/{attempt.id}/submit")
        page = browser.get(f"/attempts/{attempt.id}/result").get_data(as_text=True)
        if browser is tablet:
            assert "Done — sign out" in page and 'data-kiosk-done-seconds="30.0"' in page
            assert 'action="/signout"' in page
        else:
            assert "Done — sign out" not in page and "kiosk.js" not in page


def test_scanning_a_card_on_a_kiosk_after_an_idle_session(tablet, make_user):
    leaver, arriving = make_user(crew_name="钢筋一班"), make_user(crew_name="钢筋一班")
    token = cards.issue_card(arriving, by=None)
    db.session.commit()
    sign_in(tablet, leaver)
    tablet.get("/quizzes")
    go_idle(tablet, kiosk.DEFAULT_IDLE_SECONDS + 1)
    page = tablet.get(f"/card/{token}")
    assert page.status_code == 200 and arriving.name in page.get_data(as_text=True)
    tablet.post(f"/card/{token}")
    assert arriving.employee_no in tablet.get("/quizzes").get_data(as_text=True)


def test_back_after_sign_out_shows_no_previous_page(tablet, make_user, make_bank):
    worker, bank = make_user(), make_bank(time_limit="10m")
    sign_in(tablet, worker)
    quizzes = tablet.get("/quizzes")
    assert bank.latest.title in quizzes.get_data(as_text=True)
    # The browser may keep no copy of a person's page to show again from its history.
    assert quizzes.headers["Cache-Control"] == "no-store"
    tablet.post("/signout")
    assert tablet.get("/quizzes").status_code == 302
    # Shared assets stay cacheable: the tablet does not fetch them again for every worker.
    css = tablet.get("/static/app.css")
    assert "no-store" not in css.headers.get("Cache-Control", "")
    css.close()
