"""Browser tests: the real app on a loopback port, driven by headless Chromium (Playwright).

Locally they are skipped when Chromium, Playwright or axe-core is missing; with CI=true they
fail instead, so a CI run can never pass without them. `.ci/run` installs both
(`apt-get install chromium`, `npm ci`).
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from flask import request
from werkzeug.serving import make_server

from quizapp import create_app
from quizapp.auth.services import create_user
from quizapp.banks.format import parse_bank
from quizapp.banks.services import store_bank
from quizapp.database import utcnow
from quizapp.extensions import db
from quizapp.quizzes.models import Attempt
from tests.conftest import BANK_YAML, PASSWORD, ROOT

ARTIFACTS = ROOT / "test-artifacts" / "browser"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: A cheap Android phone, and an office PC.
VIEWPORTS = {
    "phone": {
        "viewport": {"width": 360, "height": 640},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
    "desktop": {"viewport": {"width": 1280, "height": 800}},
}
#: Console errors a page may log while the test has cut the network on purpose.
OFFLINE_NOISE = re.compile(r"Failed to load resource|ERR_INTERNET_DISCONNECTED|Failed to fetch")


def _missing() -> list[str]:
    missing = []
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the Python package playwright")
    if not Path(CHROMIUM).is_file():
        missing.append(f"Chromium at {CHROMIUM} (apt-get install chromium)")
    if not AXE.is_file():
        missing.append("node_modules/axe-core (npm ci)")
    return missing


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session; a fresh context per test keeps them apart."""
    missing = _missing()
    if missing:
        message = "browser tests need " + ", ".join(missing)
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (required in CI)")
        pytest.skip(message)
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=10_000)  # a loaded CI machine is slow to paint
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Site:
    """The app served on a free loopback port, with a fresh SQLite database of its own."""

    def __init__(self, app, url: str):
        self.app = app
        self.url = url
        #: (path, JSON body) of every POST the server received, in order.
        self.posts: list[tuple[str, object]] = []
        self._numbers = iter(range(1, 1000))

        @app.before_request
        def log_posts() -> None:
            if request.method == "POST":
                self.posts.append((request.path, request.get_json(silent=True)))

    def saves(self, attempt_id: int) -> list[str]:
        """The question of every answer the page sent for this attempt, in arrival order."""
        path = f"/attempts/{attempt_id}/answers"
        return [body["question_id"] for posted, body in self.posts if posted == path]

    def worker(self, name: str = "张伟"):
        """A worker who signs in with PASSWORD."""
        number = f"W{next(self._numbers):04d}"
        with self.app.app_context():
            create_user(number, name, "worker", password=PASSWORD)
            db.session.commit()
        return SimpleNamespace(employee_no=number, name=name)

    def bank(self, bank_id: str = "demo-bank", **quiz) -> str:
        """Store the three-question test bank (4 points) with these quiz settings."""
        settings = {"shuffle_questions": False, "shuffle_choices": False, **quiz}
        lines = "\n".join(f"  {key}: {str(value).lower()}" for key, value in settings.items())
        text = BANK_YAML.format(id=bank_id, quiz=lines)
        with self.app.app_context():
            store_bank(parse_bank(text.encode(), f"{bank_id}.yaml"), text, f"{bank_id}.yaml")
            db.session.commit()
        return bank_id

    def attempt(self, attempt_id: int) -> dict:
        """Where an attempt stands in the database, read afresh."""
        with self.app.app_context():
            attempt = db.session.get(Attempt, attempt_id)
            return {
                "final": attempt.is_final,
                "finished_by": attempt.finished_by,
                "deadline": attempt.deadline,
                "percent": attempt.percent,
                "answers": {a.question_id: a.selected for a in attempt.answers},
                "saved_at": {a.question_id: a.saved_at for a in attempt.answers},
            }

    def move_deadline(self, attempt_id: int, seconds: float) -> None:
        """Put the attempt's deadline `seconds` from now, as if time had passed."""
        with self.app.app_context():
            attempt = db.session.get(Attempt, attempt_id)
            attempt.deadline = utcnow() + timedelta(seconds=seconds)
            db.session.commit()

    def wait_for(self, attempt_id: int, check: Callable[[dict], bool], timeout: float = 15):
        """Poll the database until `check(attempt)` holds; return the attempt."""
        end = time.monotonic() + timeout
        while True:
            state = self.attempt(attempt_id)
            if check(state) or time.monotonic() > end:
                return state
            time.sleep(0.1)


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Callable[..., Site]]:
    """Start the app with extra settings on its own database; stopped after the test."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    running = []

    def start(**settings) -> Site:
        config = {
            "TESTING": True,
            "SECRET_KEY": "browser-test-secret",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / f'live{len(running)}.sqlite'}",
            "RATELIMIT_ENABLED": False,
            "DEMO_BANKS_DIR": str(ROOT / "question_banks"),
            **settings,
        }
        app = create_app(config)
        with app.app_context():
            db.create_all()
        server = make_server("127.0.0.1", 0, app, threaded=True)
        live = Site(app, f"http://127.0.0.1:{server.server_port}")
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        running.append((app, server, thread))
        return live

    yield start
    for app, server, thread in running:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def site(serve) -> Site:
    """The app with its default settings."""
    return serve()


@pytest.fixture
def open_page(browser, request: pytest.FixtureRequest):
    """Open a page (`open_page("phone")`) in a fresh context, or in `context=` one already open.

    Console errors and uncaught exceptions fail the test; dialogs are accepted. The page gets
    `page.shot(name)`, which saves a numbered screenshot under test-artifacts/browser/.
    """
    contexts = []
    errors: list[str] = []
    name = re.sub(r"[^\w-]+", "-", request.node.name).strip("-")
    steps = iter(range(1, 100))

    def open_(kind: str, context=None, **options):
        if context is None:
            context = browser.new_context(locale="en-US", **{**VIEWPORTS[kind], **options})
            context.set_default_timeout(10_000)
            contexts.append(context)
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())
        page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
        page.on(
            "console",
            lambda message: (
                message.type == "error"
                and not OFFLINE_NOISE.search(message.text)
                and errors.append(message.text)
            ),
        )

        def shot(step: str) -> None:
            if page.url.startswith("http"):  # not the browser's own error page
                page.evaluate("scrollTo(0, 0)")  # else the sticky countdown lands mid-picture
            path = ARTIFACTS / f"{name}-{next(steps):02d}-{step}.png"
            page.screenshot(path=path, full_page=True, scale="css")

        page.shot = shot
        return page

    yield open_
    for context in contexts:
        context.close()
    assert not errors, errors


def sign_in(page, site: Site, user) -> None:
    """Sign in through the form, as a worker does."""
    page.goto(site.url + "/signin")
    page.fill("#employee_no", user.employee_no)
    page.fill("#password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(re.compile(r"/quizzes$"))


def start_quiz(page) -> int:
    """Press Start on the only quiz; return the attempt's id."""
    page.get_by_role("button", name="Start").click()
    page.wait_for_url(re.compile(r"/attempts/\d+/questions/1$"))
    return int(re.search(r"/attempts/(\d+)/", page.url).group(1))


def wait_until_stored(page) -> None:
    """Wait until this page has nothing left to send."""
    page.wait_for_function(
        "() => !Object.keys(localStorage).some(k => k.startsWith('quizapp.pending.'))"
    )


def pending(page) -> list[dict]:
    """The answers this page keeps on the phone, not yet acknowledged by the server."""
    return page.evaluate(
        "() => Object.keys(localStorage).filter(k => k.startsWith('quizapp.pending.'))"
        ".flatMap(k => JSON.parse(localStorage.getItem(k)))"
    )
