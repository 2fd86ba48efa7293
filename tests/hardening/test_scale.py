"""Two gunicorn instances on one PostgreSQL database and one Redis (`pytest -m scale`).

Both instances share SECRET_KEY, so a signed session cookie from one is good on the other,
and REDIS_URL, so rate limits are counted once for the deployment. The database is a fresh
schema of its own, migrated with `flask db upgrade`; the Redis keys carry a prefix of this
test's own and are deleted afterwards.

These tests need TEST_DATABASE_URL and REDIS_URL. Without them they are skipped, except in
CI (CI=true), where REDIS_URL defaults to redis://127.0.0.1:6379/0 and a missing or
unreachable PostgreSQL or Redis fails them.
"""

from __future__ import annotations

import os
import re
import secrets
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
import redis
from sqlalchemy.engine import make_url

from quizapp import config
from tests.hardening.servers import (
    Browser,
    Server,
    answer_key,
    bank_yaml,
    flask_cli,
    question_order,
    seed,
    server_env,
)

pytestmark = pytest.mark.scale

CI_REDIS_URL = "redis://127.0.0.1:6379/0"
BANK_ID = "scale-drill"
QUESTIONS = 6
WORKER = "W0001"
#: Failed sign-ins allowed per account per minute, over the whole deployment.
ACCOUNT_LIMIT = 5


def required_services() -> tuple[str, str]:
    """The PostgreSQL and Redis URLs; skip without them locally, fail without them in CI."""
    in_ci = os.environ.get("CI") == "true"
    database_url = config.test_database_url()
    redis_url = os.environ.get("REDIS_URL") or (CI_REDIS_URL if in_ci else None)
    missing = [
        name
        for name, value in (("TEST_DATABASE_URL", database_url), ("REDIS_URL", redis_url))
        if not value
    ]
    if missing:
        reason = f"scale tests need PostgreSQL and Redis: set {' and '.join(missing)}"
        if in_ci:
            pytest.fail(reason + " (required in CI)")
        pytest.skip(reason)
    try:
        with psycopg.connect(_libpq_url(database_url), connect_timeout=5):
            pass
        redis.Redis.from_url(redis_url, socket_connect_timeout=5).ping()
    except (psycopg.Error, redis.RedisError) as error:
        pytest.fail(f"PostgreSQL or Redis is configured but unreachable: {error}")
    return database_url, redis_url


def _libpq_url(sqlalchemy_url: str) -> str:
    return make_url(sqlalchemy_url).set(drivername="postgresql").render_as_string(False)


@dataclass
class Cluster:
    """Two instances of the app behind no proxy, and where their shared state lives."""

    a: Server
    b: Server
    database_url: str
    redis: redis.Redis
    key_prefix: str

    def query(self, sql: str, *params) -> list[tuple]:
        """Rows straight from this test's schema."""
        with psycopg.connect(_libpq_url(self.database_url)) as connection:
            return connection.execute(sql, params).fetchall()

    def limit_keys(self) -> list[bytes]:
        """This test's rate-limit counters in Redis."""
        return list(self.redis.scan_iter(match=f"*{self.key_prefix}*", count=1000))


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    """A fresh schema, migrated; a bank and two people; two instances sharing everything."""
    base_url, redis_url = required_services()
    schema = f"scale_{uuid.uuid4().hex[:12]}"
    admin_url = _libpq_url(base_url)
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    database_url = (
        make_url(base_url)
        .update_query_dict({"options": f"-csearch_path={schema}"})
        .render_as_string(hide_password=False)
    )
    key_prefix = f"quizapp-test-{uuid.uuid4().hex[:12]}"
    store = redis.Redis.from_url(redis_url)
    env = server_env(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        RATELIMIT_KEY_PREFIX=key_prefix,
        SECRET_KEY=secrets.token_hex(32),
        SIGNIN_LIMIT_PER_ACCOUNT=f"{ACCOUNT_LIMIT} per minute",
    )
    servers: list[Server] = []
    try:
        flask_cli(env, "db", "upgrade")
        seed(database_url, bank_yaml(BANK_ID, QUESTIONS), [WORKER, "W0002"])
        servers = [Server(env, tmp_path / f"gunicorn-{name}.log").launch() for name in "ab"]
        for server in servers:
            server.wait_ready()
        yield Cluster(servers[0], servers[1], database_url, store, key_prefix)
    finally:
        for server in servers:
            server.kill()
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA "{schema}" CASCADE')
        keys = list(store.scan_iter(match=f"*{key_prefix}*", count=1000))
        if keys:
            store.delete(*keys)
        store.close()


def test_a_quiz_moves_between_instances_and_survives_losing_one(cluster):
    a, b = cluster.a, cluster.b
    phone = Browser(a.url)
    assert phone.sign_in(WORKER, base=a.url).status == 302
    # The session signed by A is good on B, and B's CSRF token is good on A: nothing is local.
    assert phone.get("/quizzes", base=b.url).status == 200
    started = phone.post_form(f"/quizzes/{BANK_ID}/start", base=b.url)
    assert started.status == 302
    attempt_id = int(re.search(r"/attempts/(\d+)", started.location).group(1))
    order = question_order(phone.get(f"/attempts/{attempt_id}/questions/1", base=a.url).text)
    save_url = f"/attempts/{attempt_id}/answers"

    acknowledged: dict[str, str] = {}
    for n, question in enumerate(order):
        if n == len(order) // 2:
            a.kill()  # one instance dies mid-quiz; the phone carries on with the other
            with pytest.raises(OSError):
                phone.get("/quizzes", base=a.url)
        server = b if n % 2 or n >= len(order) // 2 else a
        # Right for the first four questions, wrong for the rest.
        number = int(question[1:])
        choice = answer_key(number) if n < 4 else answer_key(number + 1)
        response = phone.post_json(
            save_url, {"question_id": question, "selected": [choice]}, base=server.url
        )
        assert response.status == 200 and response.json()["saved"] is True
        acknowledged[question] = choice

    # Two tabs submit at once, both on the surviving instance.
    tabs = [phone.copy(), phone.copy()]
    with ThreadPoolExecutor(2) as pool:
        submitted = list(
            pool.map(lambda tab: tab.post_form(f"/attempts/{attempt_id}/submit", base=b.url), tabs)
        )
    assert [r.status for r in submitted] == [302, 302]
    assert all(r.location == f"/attempts/{attempt_id}/result" for r in submitted)

    stored = dict(
        cluster.query("SELECT question_id, selected FROM answer WHERE attempt_id = %s", attempt_id)
    )
    assert stored == acknowledged
    [(score, max_score, finished_by, submitted_at)] = cluster.query(
        "SELECT score, max_score, finished_by, submitted_at FROM attempt WHERE id = %s",
        attempt_id,
    )
    assert (score, max_score, finished_by) == (4, QUESTIONS, "worker")

    # The killed instance comes back: it changes nothing of the finished attempt.
    a.start()
    late = phone.post_json(save_url, {"question_id": order[0], "selected": ["D"]}, base=a.url)
    assert late.status == 409 and late.json()["error"] == "attempt_final"
    again = phone.post_form(f"/attempts/{attempt_id}/submit", base=a.url)
    assert again.status == 302
    assert cluster.query("SELECT score, submitted_at FROM attempt") == [(4, submitted_at)]
    assert cluster.query("SELECT count(*) FROM attempt") == [(1,)]


def test_failed_sign_ins_on_both_instances_count_against_one_limit(cluster):
    a, b = cluster.a, cluster.b
    codes = []
    for n in range(ACCOUNT_LIMIT + 2):
        server = (a, b)[n % 2]
        guess = Browser(server.url).sign_in(WORKER, password=f"wrong-guess-{n}")
        codes.append((server.port, guess.status))
    # Counted per instance (or per gunicorn worker) the limit would allow several times more.
    assert [status for _, status in codes] == [200] * ACCOUNT_LIMIT + [429, 429]
    assert {port for port, status in codes if status == 429} == {a.port, b.port}
    # The account is held for the rest of the minute, on every instance, even with the
    # right password; another account is not.
    assert Browser(a.url).sign_in(WORKER).status == 429
    assert Browser(b.url).sign_in(WORKER).status == 429
    assert Browser(b.url).sign_in("W0002").status == 302
    # The counters live in Redis under this deployment's prefix.
    assert any(b"account:w0001" in key for key in cluster.limit_keys())
