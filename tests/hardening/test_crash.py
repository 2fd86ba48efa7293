"""The server is killed with SIGKILL while workers are answering (`pytest -m crash`).

gunicorn serves a fresh SQLite database (WAL, SQLITE_SYNCHRONOUS=NORMAL, the default) to
several phones that sign in with CSRF on, start a quiz and keep changing answers. The whole
process group is killed mid-stream, as the OOM killer or a pulled plug on the process would.
Then the database must hold every answer the server acknowledged, and after a restart each
worker signs in again and finds the attempt as they left it, its clock still running from the
deadline set at the start.
"""

from __future__ import annotations

import http.client
import itertools
import re
import secrets
import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.hardening.servers import (
    Browser,
    Server,
    bank_yaml,
    checked_choices,
    flask_cli,
    question_order,
    seconds_left_on,
    seed,
    server_env,
)

pytestmark = pytest.mark.crash

BANK_ID = "crash-drill"
WORKERS = 6
QUESTIONS = 8
#: Answers saved (over all phones) before the server is killed, while they keep coming.
SAVES_BEFORE_KILL = 60


@dataclass
class Phone:
    """One worker's phone and what the server told it."""

    employee_no: str
    browser: Browser
    attempt_id: int = 0
    order: list[str] = field(default_factory=list)
    #: The countdown of the first question page, and when (monotonic) it was shown.
    first_seconds_left: int = 0
    first_shown: float = 0.0
    #: question → the last choice the server acknowledged with 200 {"saved": true}.
    acknowledged: dict[str, str] = field(default_factory=dict)
    saves: int = 0
    #: The answer sent when the server died: it may or may not have been stored.
    in_flight: tuple[str, str] | None = None
    refusals: list[str] = field(default_factory=list)

    @property
    def save_url(self) -> str:
        return f"/attempts/{self.attempt_id}/answers"


def start_quiz(phone: Phone) -> None:
    """Sign in (CSRF on), start the quiz and open its first question."""
    assert phone.browser.sign_in(phone.employee_no).status == 302
    started = phone.browser.post_form(f"/quizzes/{BANK_ID}/start")
    assert started.status == 302, started.text[:500]
    phone.attempt_id = int(re.search(r"/attempts/(\d+)", started.location).group(1))
    page = phone.browser.get(f"/attempts/{phone.attempt_id}/questions/1")
    phone.order = question_order(page.text)
    phone.first_seconds_left, phone.first_shown = seconds_left_on(page.text), time.monotonic()


def answer_until_cut_off(phone: Phone, stop: threading.Event) -> None:
    """Keep answering and changing answers, one request at a time, until the server is gone."""
    offset = int(phone.employee_no[1:])
    for n in itertools.count():
        if stop.is_set():
            return
        question = phone.order[n % len(phone.order)]
        choice = "ABCD"[(n // len(phone.order) + offset) % 4]
        phone.in_flight = (question, choice)
        try:
            response = phone.browser.post_json(
                phone.save_url, {"question_id": question, "selected": [choice]}
            )
        except (OSError, http.client.HTTPException):
            return  # killed with this answer in flight
        phone.in_flight = None
        if response.status != 200 or response.json().get("saved") is not True:
            phone.refusals.append(f"{response.status} {response.text[:200]}")
            return
        phone.acknowledged[question] = choice
        phone.saves += 1


def stored_answers(database: Path) -> tuple[dict[int, dict[str, str]], dict[int, datetime]]:
    """Straight from the file, without the app: answers per attempt, and each deadline."""
    connection = sqlite3.connect(database)
    try:
        answers: dict[int, dict[str, str]] = {}
        for attempt_id, question, selected in connection.execute(
            "SELECT attempt_id, question_id, selected FROM answer"
        ):
            answers.setdefault(attempt_id, {})[question] = selected
        deadlines = {
            attempt_id: datetime.fromisoformat(deadline).replace(tzinfo=UTC)
            for attempt_id, deadline in connection.execute("SELECT id, deadline FROM attempt")
        }
    finally:
        connection.close()
    return answers, deadlines


def assert_nothing_acknowledged_was_lost(phone: Phone, stored: dict[str, str]) -> None:
    """Every acknowledged answer is stored as last acknowledged; only the one in flight may
    have gone either way; nothing else is there."""
    for question in phone.order:
        possible = set()
        if question in phone.acknowledged:
            possible.add(phone.acknowledged[question])
        if phone.in_flight and phone.in_flight[0] == question:
            possible.add(phone.in_flight[1])
            if question not in phone.acknowledged:
                possible.add(None)
        if not possible:
            possible.add(None)
        assert stored.get(question) in possible, (phone.employee_no, question, stored)


def assert_attempt_resumes(phone: Phone, server: Server, stored: dict[str, str], deadline):
    """The worker's phone died: a new browser signs in, continues, and finds everything."""
    browser = Browser(server.url)
    assert browser.sign_in(phone.employee_no).status == 302
    resumed = browser.get(f"/attempts/{phone.attempt_id}")
    first_open = next(
        (i for i, q in enumerate(phone.order, 1) if not stored.get(q)), len(phone.order)
    )
    assert resumed.location == f"/attempts/{phone.attempt_id}/questions/{first_open}"
    for position, question in enumerate(phone.order, 1):
        page = browser.get(f"/attempts/{phone.attempt_id}/questions/{position}")
        assert page.status == 200
        expected = {stored[question]} if stored.get(question) else set()
        assert checked_choices(page.text) == expected, (phone.employee_no, question)
        # The countdown goes on from the deadline set at the start, not from the restart.
        left = seconds_left_on(page.text)
        by_first_page = phone.first_seconds_left - (time.monotonic() - phone.first_shown)
        by_deadline = (deadline - datetime.now(UTC)).total_seconds()
        assert by_first_page - 3 <= left <= by_first_page + 3
        assert by_deadline - 3 <= left <= by_deadline + 1
    # …and answering goes on where it stopped.
    response = browser.post_json(
        f"/attempts/{phone.attempt_id}/answers", {"question_id": phone.order[0], "selected": ["A"]}
    )
    assert response.status == 200 and response.json()["saved"] is True


def test_acknowledged_answers_survive_sigkill_and_attempts_resume(tmp_path):
    database = tmp_path / "quizapp.sqlite"
    env = server_env(
        DATABASE_URL=f"sqlite:///{database}",
        SECRET_KEY=secrets.token_hex(32),
        SQLITE_SYNCHRONOUS="NORMAL",
    )
    flask_cli(env, "db", "upgrade")
    workers = [f"W{n:04d}" for n in range(1, WORKERS + 1)]
    seed(f"sqlite:///{database}", bank_yaml(BANK_ID, QUESTIONS), workers)

    server = Server(env, tmp_path / "gunicorn.log").start()
    try:
        phones = [Phone(employee_no, Browser(server.url)) for employee_no in workers]
        with ThreadPoolExecutor(WORKERS) as pool:
            list(pool.map(start_quiz, phones))

        stop = threading.Event()
        threads = [threading.Thread(target=answer_until_cut_off, args=(p, stop)) for p in phones]
        for thread in threads:
            thread.start()
        give_up = time.monotonic() + 30
        while sum(p.saves for p in phones) < SAVES_BEFORE_KILL and time.monotonic() < give_up:
            time.sleep(0.01)
        server.kill()  # mid-stream: every phone is still sending
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        assert not any(thread.is_alive() for thread in threads)
        assert not server.alive_in_group(), "a gunicorn process survived SIGKILL"
        assert [p.refusals for p in phones] == [[]] * WORKERS
        assert sum(p.saves for p in phones) >= SAVES_BEFORE_KILL

        answers, deadlines = stored_answers(database)
        for phone in phones:
            assert_nothing_acknowledged_was_lost(phone, answers.get(phone.attempt_id, {}))

        server = Server(env, tmp_path / "gunicorn.log").start()
        with ThreadPoolExecutor(WORKERS) as pool:
            list(
                pool.map(
                    lambda p: assert_attempt_resumes(
                        p, server, answers.get(p.attempt_id, {}), deadlines[p.attempt_id]
                    ),
                    phones,
                )
            )
    finally:
        server.kill()
