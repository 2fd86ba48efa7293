"""Signing in with an employee number, rate limits and cookie settings."""

from __future__ import annotations

import threading
import time

from werkzeug.security import generate_password_hash

from quizapp.auth.models import PASSWORD_METHOD, User
from quizapp.extensions import db
from tests.conftest import PASSWORD, sign_in


def test_worker_signs_in_with_employee_number_and_password(client, make_user):
    worker = make_user(employee_no="W0001")
    response = sign_in(client, worker)
    assert response.status_code == 302 and response.location.endswith("/")
    assert client.get("/quizzes").status_code == 200


def test_passwords_are_hashed_with_owasps_least_memory_scrypt_setting(make_app):
    # N = 2^13, r = 8, p = 10: 8 MiB per hash (bench/README.md, memory).
    assert PASSWORD_METHOD == "scrypt:8192:8:10"
    app = make_app(PASSWORD_HASH_METHOD=None)
    with app.app_context():
        person = User(employee_no="W1", name="Person", role="worker")
        person.set_password(PASSWORD)
        assert person.password_hash.startswith("scrypt:8192:8:10$")
        assert person.check_password(PASSWORD) and not person.check_password("other")


def test_an_older_hash_still_signs_in_and_is_replaced_then(client, make_user, app):
    worker = make_user()
    worker.password_hash = generate_password_hash(PASSWORD, method="scrypt:32768:8:1")
    db.session.commit()
    assert sign_in(client, worker, password="wrong-password").status_code == 200
    db.session.refresh(worker)
    assert worker.password_hash.startswith("scrypt:32768:8:1$")  # a wrong password changes nothing

    assert sign_in(client, worker).status_code == 302
    db.session.refresh(worker)
    assert worker.password_hash.startswith(app.config["PASSWORD_HASH_METHOD"] + "$")
    client.post("/signout")
    assert sign_in(client, worker).status_code == 302


def test_wrong_password_is_refused_with_a_clear_message(client, make_user):
    worker = make_user()
    response = sign_in(client, worker, password="wrong-password")
    assert response.status_code == 200
    assert "Employee number or password is wrong." in response.get_data(as_text=True)
    assert client.get("/quizzes").status_code == 302


def test_deactivated_person_cannot_sign_in(client, make_user):
    worker = make_user()
    worker.active = False
    db.session.commit()
    assert sign_in(client, worker).status_code == 200
    assert client.get("/quizzes").status_code == 302


def test_deactivation_ends_a_running_session(client, make_user):
    worker = make_user()
    sign_in(client, worker)
    worker.active = False
    db.session.commit()
    assert client.get("/quizzes").status_code == 302


def test_sign_out_ends_the_session(client, make_user):
    sign_in(client, make_user())
    client.post("/signout")
    assert client.get("/quizzes").status_code == 302


def test_next_only_leads_to_this_site(client, make_user):
    worker = make_user()
    for target, expected in [
        ("/history", "/history"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
    ]:
        client.post("/signout")
        response = client.post(
            f"/signin?next={target}",
            data={"employee_no": worker.employee_no, "password": PASSWORD},
        )
        assert response.location == expected, target


def test_session_cookie_is_httponly_and_samesite(client, make_user):
    response = sign_in(client, make_user())
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_signin_is_rate_limited_per_account(make_app, make_user):
    app = make_app(RATELIMIT_ENABLED=True, SIGNIN_LIMIT_PER_ACCOUNT="3 per minute")
    with app.app_context():
        worker = make_user()
        client = app.test_client()
        codes = [sign_in(client, worker, password="bad-guess-1").status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        other = app.test_client()
        assert sign_in(other, worker).status_code == 429  # the account, not just the browser
        db.session.remove()


def test_signin_is_rate_limited_per_address(make_app, make_user):
    app = make_app(RATELIMIT_ENABLED=True, SIGNIN_LIMIT_PER_ADDRESS="2 per minute")
    with app.app_context():
        first, second, third = make_user(), make_user(), make_user()
        client = app.test_client()
        assert sign_in(client, first, "x-wrong-1").status_code == 200
        assert sign_in(client, second, "x-wrong-1").status_code == 200
        assert sign_in(client, third).status_code == 429
        db.session.remove()


def test_csrf_is_required_on_posts(make_app, make_user):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        worker = make_user()
        client = app.test_client()
        response = sign_in(client, worker)
        assert response.status_code == 400 and "expired" in response.get_data(as_text=True)
        db.session.remove()


def test_pages_carry_security_headers(client):
    response = client.get("/signin")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_at_most_two_password_checks_run_at_once_in_a_process(make_user, monkeypatch):
    # Each scrypt check holds its memory (8 MiB, 32 MiB for older hashes) while it runs; eight
    # server threads signing people in at once must not hold eight times that. The real check
    # runs, slowed, and its overlap is counted.
    from quizapp.auth import models

    worker = make_user()
    assert worker.password_hash  # loaded here: the threads have no application context
    running, most, lock = 0, 0, threading.Lock()
    real_check = models.check_password_hash

    def slow_check(stored: str, given: str) -> bool:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.05)
        try:
            return real_check(stored, given)
        finally:
            with lock:
                running -= 1

    monkeypatch.setattr(models, "check_password_hash", slow_check)
    results: list[bool] = []
    threads = [
        threading.Thread(target=lambda: results.append(worker.check_password(PASSWORD)))
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [True] * 8
    assert most == 2
