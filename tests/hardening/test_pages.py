"""Every page, as every kind of visitor sees it: security headers, and HTML that runs no inline
code even when names and bank texts are hostile (`pytest -m security`).

The content security policy allows scripts and styles from the site's own files only, so an
inline <script>, an on…= handler or a style= attribute would be blocked in the browser, and
would be a sign that content reaches the page unescaped. The pages are found from the app's
own URL map, so a page added later is checked without touching this file.
"""

from __future__ import annotations

from datetime import timedelta
from html.parser import HTMLParser

import pytest
from flask import Flask

from quizapp.assignments.services import create_assignment
from quizapp.auth import cards
from quizapp.banks.format import parse_bank
from quizapp.banks.services import save_draft, store_bank
from quizapp.database import utcnow
from quizapp.extensions import db
from quizapp.quizzes import services
from quizapp.web import DatabaseId
from tests.conftest import sign_in

pytestmark = pytest.mark.security

HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
HOSTILE_BANK = f"""\
id: hostile
title: '{HOSTILE.replace("'", "''")}'
quiz:
  time_limit: 10m
  shuffle_questions: false
  shuffle_choices: false
questions:
  - id: q1
    text: '{HOSTILE.replace("'", "''")}'
    choices:
      A: '<svg onload=alert(3)>'
      B: "<a href=\\"javascript:alert(4)\\">link</a>"
      C: '<style>body{{display:none}}</style>'
    answer: B
    explanation: '<iframe src=javascript:alert(5)></iframe>'
    tags: ['<b onmouseover=alert(6)>']
  - id: q2
    text: '<div style="position:fixed">盖住页面</div>'
    answer: true
"""
HOSTILE_NAME = '张伟<img src=x onerror=alert("name")>'
HOSTILE_CREW = "<script>crew()</script>钢筋一班"
HOSTILE_SITE = '东湖<body onload="site()">'


class InlineCodeFinder(HTMLParser):
    """Collects everything in a page that a strict CSP would block or that runs by itself."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _ in attrs}
        if tag == "script" and "src" not in names:
            self.found.append("inline <script>")
        if tag == "style":
            self.found.append("<style> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            elif name == "style":
                self.found.append(f"<{tag} style=…>")
            elif name in {"href", "src", "action", "formaction"} and (
                value or ""
            ).strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}=javascript:…>")

    def handle_startendtag(self, tag, attrs) -> None:
        self.handle_starttag(tag, attrs)


def inline_code(page: str) -> list[str]:
    """What a page holds that would run (or be blocked) inline."""
    finder = InlineCodeFinder()
    finder.feed(page)
    finder.close()
    return finder.found


def check_response(url: str, response) -> list[str]:
    """Problems with one response: a server error, missing headers, inline code."""
    problems = []
    if response.status_code >= 500:
        problems.append(f"{url}: {response.status_code}")
    headers = response.headers
    if headers.get("X-Content-Type-Options") != "nosniff":
        problems.append(f"{url}: no X-Content-Type-Options: nosniff")
    if response.mimetype != "text/html":
        return problems
    policy = headers.get("Content-Security-Policy", "")
    for needed in (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
    ):
        if needed not in policy:
            problems.append(f"{url}: CSP lacks {needed}")
    if "unsafe-inline" in policy or "unsafe-eval" in policy:
        problems.append(f"{url}: CSP allows unsafe code")
    if headers.get("X-Frame-Options") != "DENY":
        problems.append(f"{url}: X-Frame-Options is not DENY")
    if headers.get("Referrer-Policy") != "same-origin":
        problems.append(f"{url}: Referrer-Policy is not same-origin")
    page = response.get_data(as_text=True)
    problems += [f"{url}: {found}" for found in inline_code(page)]
    for raw in (HOSTILE, HOSTILE_NAME, HOSTILE_CREW, "<svg onload"):
        if raw in page:
            problems.append(f"{url}: unescaped {raw!r}")
    return problems


def crawl(app: Flask, client, values: dict) -> tuple[list[str], int]:
    """GET every page whose address can be built from `values`; return problems and count."""
    adapter = app.url_map.bind("localhost")
    problems, seen = [], 0
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        if not rule.arguments <= values.keys():
            continue
        url = adapter.build(rule.endpoint, {name: values[name] for name in rule.arguments})
        problems += check_response(url, client.get(url))
        seen += 1
    return problems, seen


@pytest.fixture
def hostile_world(make_user):
    """A site, crew, people, bank, attempts, a draft and an assignment, all with hostile texts."""
    content = parse_bank(HOSTILE_BANK.encode(), "hostile.yaml")
    bank = store_bank(content, HOSTILE_BANK, "hostile.yaml").version.bank
    worker = make_user(name=HOSTILE_NAME, crew_name=HOSTILE_CREW, site_name=HOSTILE_SITE)
    officer = make_user("officer", name=HOSTILE_NAME)
    manager = make_user("manager", name=HOSTILE_NAME)
    admin = make_user("admin", name=HOSTILE_NAME)
    finished = services.start_attempt(worker, bank)
    services.save_answer(finished, "q1", ["B"])
    services.submit_attempt(finished)
    db.session.commit()
    running = services.start_attempt(worker, bank)
    services.save_answer(running, "q1", ["A"])
    draft = save_draft(HOSTILE_BANK.encode(), "hostile.yaml", by=officer)
    assignment = create_assignment(bank, due_at=utcnow() + timedelta(days=7), crews=[worker.crew])
    token = cards.issue_card(worker, by=officer)
    db.session.commit()
    values = {
        "slug": bank.slug,
        "number": 1,
        "version_id": bank.latest.id,
        "draft_id": draft.id,
        "assignment_id": assignment.id,
        "crew_id": worker.crew_id,
        "site_id": worker.crew.site_id,
        "user_id": worker.id,
        "position": 1,
        "code": "en",
        "token": token,
    }
    return {
        "people": {"worker": worker, "officer": officer, "manager": manager, "admin": admin},
        "running": running.id,
        "finished": finished.id,
        "values": values,
    }


def test_every_page_has_security_headers_and_no_inline_code(app, hostile_world):
    # A page that fails is listed with the others instead of stopping the test at once.
    app.config["PROPAGATE_EXCEPTIONS"] = False
    people, values = hostile_world["people"], hostile_world["values"]
    finished = {**values, "attempt_id": hostile_world["finished"]}
    running = {**values, "attempt_id": hostile_world["running"]}
    problems, pages = [], 0

    visitor = app.test_client()
    found, seen = crawl(app, visitor, running)
    problems += [f"visitor {problem}" for problem in found]
    pages += seen
    for url in ("/no-such-page", "/card/not-a-card"):
        problems += check_response(url, visitor.get(url))

    for role, person in people.items():
        client = app.test_client()
        sign_in(client, person)
        # The worker's own attempt pages differ while it runs and once it is over.
        for attempt in (running, finished) if role == "worker" else (finished,):
            found, seen = crawl(app, client, attempt)
            problems += [f"{role} {problem}" for problem in found]
            pages += seen

    # A shared tablet in kiosk mode has page furniture of its own.
    tablet = app.test_client()
    sign_in(tablet, people["officer"])
    tablet.post("/kiosk", data={"mode": "on"})
    tablet.post("/signout")
    problems += check_response("kiosk /signin", tablet.get("/signin"))
    sign_in(tablet, people["worker"])
    for url in (
        "/quizzes",
        f"/attempts/{hostile_world['running']}/questions/1",
        f"/attempts/{hostile_world['finished']}/result",
    ):
        problems += check_response(f"kiosk {url}", tablet.get(url))

    assert problems == []
    assert pages > 100  # every role reached a good share of the site


def test_upload_errors_show_hostile_yaml_as_text(client, make_user):
    sign_in(client, make_user("officer"))
    hostile = (
        f"id: bad\ntitle: {HOSTILE}\nquestions:\n  - id: q1\n    text: x\n    answer: {HOSTILE}\n"
    )
    from io import BytesIO

    response = client.post(
        "/banks/upload",
        data={"file": (BytesIO(hostile.encode()), f"{HOSTILE}.yaml")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert check_response("/banks/upload (422)", response) == []


def test_an_id_beyond_any_key_is_a_404_on_every_page(app, make_user):
    # One past PostgreSQL's INTEGER: passed on to the database it would overflow and abort
    # the request's transaction; no page may get that far.
    client = app.test_client()
    sign_in(client, make_user("admin"))
    adapter = app.url_map.bind("localhost")
    pages = []
    for rule in app.url_map.iter_rules():
        converters = rule._converters
        if "GET" not in rule.methods or not any(
            isinstance(c, DatabaseId) for c in converters.values()
        ):
            continue
        values = {}
        for name, converter in converters.items():
            if isinstance(converter, DatabaseId):
                values[name] = 2**31
            else:  # a file format, a token, a language: any the route accepts
                values[name] = min(getattr(converter, "items", None) or ["x"])
        pages.append(adapter.build(rule.endpoint, values))
    assert len(pages) > 10
    assert {url: client.get(url).status_code for url in pages} == dict.fromkeys(pages, 404)
