"""Password guessing: what a guesser learns, which address is counted, and Redis going away
(`pytest -m security`)."""

from __future__ import annotations

import pytest

from quizapp.extensions import db
from tests.conftest import PASSWORD
from tests.hardening.servers import Browser, Server, bank_yaml, free_port, seed, server_env

pytestmark = pytest.mark.security

WRONG = "Employee number or password is wrong."


def guess(client, employee_no: str, address: str | None = None):
    """One sign-in with a wrong password, optionally through a proxy naming the client."""
    headers = {"X-Forwarded-For": address} if address else {}
    form = {"employee_no": employee_no, "password": "wrong-guess"}
    return client.post("/signin", data=form, headers=headers)


def test_passwords_are_kept_as_salted_slow_hashes(make_user):
    first, second = make_user(), make_user()
    assert first.password_hash != second.password_hash  # same password, different salt
    assert PASSWORD not in first.password_hash
    assert first.password_hash.startswith(("scrypt:", "pbkdf2:"))


def test_an_unknown_number_and_a_wrong_password_look_alike(client, make_user):
    worker = make_user()
    wrong_password = guess(client, worker.employee_no)
    unknown_number = guess(client, "NOBODY-1")
    assert wrong_password.status_code == unknown_number.status_code == 200
    assert WRONG in wrong_password.get_data(as_text=True)
    assert WRONG in unknown_number.get_data(as_text=True)


def test_a_forged_forwarded_for_does_not_escape_the_address_limit(make_app, make_user):
    # No proxy is trusted by default: the header is the client's own claim, and ignored.
    app = make_app(RATELIMIT_ENABLED=True, SIGNIN_LIMIT_PER_ADDRESS="2 per minute")
    with app.app_context():
        people = [make_user().employee_no for _ in range(3)]
        db.session.remove()
    client = app.test_client()
    codes = [guess(client, p, address=f"203.0.113.{n}").status_code for n, p in enumerate(people)]
    assert codes == [200, 200, 429]


def test_behind_a_trusted_proxy_each_client_has_its_own_address_limit(make_app, make_user):
    app = make_app(
        RATELIMIT_ENABLED=True, SIGNIN_LIMIT_PER_ADDRESS="2 per minute", TRUSTED_PROXY_COUNT=1
    )
    with app.app_context():
        people = [make_user().employee_no for _ in range(4)]
        db.session.remove()
    proxy = app.test_client()  # every request arrives from the proxy's own address
    site_office, other_site = "203.0.113.7", "198.51.100.9"
    assert guess(proxy, people[0], address=site_office).status_code == 200
    assert guess(proxy, people[1], address=site_office).status_code == 200
    assert guess(proxy, people[2], address=site_office).status_code == 429
    assert guess(proxy, people[3], address=other_site).status_code == 200
    # Absolute links (QR codes on cards and certificates) use the scheme the proxy was reached by.
    forwarded = {"X-Forwarded-For": other_site, "X-Forwarded-Proto": "https"}
    document = proxy.get("/api/v1/openapi.json", headers=forwarded).get_json()
    assert document["servers"][0]["url"].startswith("https://")


def test_sign_in_goes_on_with_the_limits_when_redis_is_down(tmp_path):
    # A server of its own: the limiter is one object per process, and this one sees Redis die.
    database = f"sqlite:///{tmp_path / 'quizapp.sqlite'}"
    seed(database, bank_yaml("redis-down", 1), ["W0001", "W0002"], create_tables=True)
    env = server_env(
        DATABASE_URL=database,
        SECRET_KEY="redis-down",
        REDIS_URL=f"redis://127.0.0.1:{free_port()}/0",  # nobody listens there
        SIGNIN_LIMIT_PER_ACCOUNT="3 per minute",
    )
    server = Server(env, tmp_path / "gunicorn.log", workers=1).start()
    try:
        codes = [
            Browser(server.url).sign_in("W0001", password="wrong-guess").status for _ in range(4)
        ]
        assert codes == [200, 200, 200, 429]  # counted in memory meanwhile, not a server error
        assert Browser(server.url).sign_in("W0002").status == 302
    finally:
        server.kill()
