"""The access matrix: every route, as every role meets it, with the world's own ids and with other
people's (`pytest -m security`).

MATRIX says, for each endpoint and method of the app, what each role gets: "ok" (a page, a file,
or a redirect that is not to the sign-in form), "signin" (sent to sign in first), "forbidden"
(403), "missing" (404: not theirs, so not revealed) or "unauthorized" (401, the JSON API without
a bearer token). A route added without an entry fails
`test_the_matrix_names_every_route_and_no_other`, so whoever adds a route decides who may use it.
The other tests walk other people's ids: another worker's attempt, another site's crew, another
crew's worker, another officer's draft, another site's rows in the API.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from quizapp.api.services import issue_token
from quizapp.assignments.services import create_assignment
from quizapp.auth import cards
from quizapp.banks.format import parse_bank
from quizapp.banks.services import save_draft, store_bank
from quizapp.certificates.services import certificate_for
from quizapp.competitions.services import create_competition
from quizapp.database import utcnow
from quizapp.extensions import db
from quizapp.quizzes import services as quiz_services
from tests.conftest import BANK_YAML, sign_in

pytestmark = pytest.mark.security

ROLES = ("anonymous", "worker", "officer", "manager", "admin")
#: Outcomes that refuse the request.
DENIALS = frozenset({"signin", "forbidden", "missing", "unauthorized"})
#: Methods a rule answers that the matrix does not list (Flask adds them to every rule).
IMPLICIT_METHODS = frozenset({"HEAD", "OPTIONS"})


def expect(
    anonymous: str = "signin",
    worker: str = "forbidden",
    officer: str = "forbidden",
    manager: str = "forbidden",
    admin: str = "forbidden",
) -> dict[str, str]:
    """What each role gets; by default a signed-in page for nobody in particular."""
    return {
        "anonymous": anonymous,
        "worker": worker,
        "officer": officer,
        "manager": manager,
        "admin": admin,
    }


#: Anyone, signed in or not.
EVERYONE = expect("ok", "ok", "ok", "ok", "ok")
#: Anyone signed in; visitors are sent to sign in.
SIGNED_IN = expect(worker="ok", officer="ok", manager="ok", admin="ok")
#: Safety officers and admins.
OFFICERS = expect(officer="ok", admin="ok")
#: Admins only.
ADMINS = expect(admin="ok")
#: Report readers: managers (of the site), officers and admins.
READERS = expect(officer="ok", manager="ok", admin="ok")
#: The worker's own attempt: anybody else's answers 404, so it is not revealed.
OWN_ATTEMPT = expect(worker="ok", officer="missing", manager="missing", admin="missing")
#: Certificates and training records: the person themselves, the record keepers (officers and
#: admins) and a manager of the person's site (W1 is on the manager's site A; site B's are
#: `test_a_manager_sees_nothing_of_another_site`).
RECORDS = expect(worker="ok", officer="ok", manager="ok", admin="ok")
#: The JSON API takes bearer tokens only: a browser's session, signed in or not, is no token.
API = expect(*["unauthorized"] * 5)

GET, POST = "GET", "POST"

MATRIX: dict[tuple[str, str], dict[str, str]] = {
    # item analysis
    ("analytics.index", GET): OFFICERS,
    ("analytics.newest", GET): OFFICERS,
    ("analytics.version", GET): OFFICERS,
    ("analytics.items_csv", GET): OFFICERS,
    ("analytics.recalculate", POST): OFFICERS,
    # the JSON API (its token's column is `test_a_site_api_token_reads_its_site_and_no_other`)
    ("api.openapi_document", GET): EVERYONE,
    ("api.sites", GET): API,
    ("api.crews", GET): API,
    ("api.crew", GET): API,
    ("api.workers", GET): API,
    ("api.worker", GET): API,
    ("api.assignments", GET): API,
    ("api.assignment", GET): API,
    ("api.standings", GET): API,
    ("api.completion", GET): API,
    ("api.attempts", GET): API,
    ("api.attempt", GET): API,
    ("api_tokens.index", GET): ADMINS,
    ("api_tokens.index", POST): ADMINS,
    ("api_tokens.revoke", POST): ADMINS,
    # assignments
    ("assignments.index", GET): OFFICERS,
    ("assignments.new", GET): OFFICERS,
    ("assignments.new", POST): OFFICERS,
    ("assignments.detail", GET): OFFICERS,
    ("assignments.cancel", POST): OFFICERS,
    ("audit.index", GET): ADMINS,
    # signing in and out; a card's confirmation page and its sign-in are for whoever holds it
    ("auth.signin", GET): EVERYONE,
    ("auth.signin", POST): EVERYONE,
    ("auth.card", GET): EVERYONE,
    ("auth.card", POST): EVERYONE,
    ("auth.signout", POST): SIGNED_IN,
    # banks
    ("banks.index", GET): OFFICERS,
    ("banks.upload", GET): OFFICERS,
    ("banks.upload", POST): OFFICERS,
    ("banks.draft", GET): OFFICERS,  # the officer's own draft; admins open any
    ("banks.publish", POST): OFFICERS,
    ("banks.discard", POST): OFFICERS,
    ("banks.detail", GET): OFFICERS,
    ("banks.version_diff", GET): OFFICERS,
    ("banks.preview", GET): OFFICERS,
    ("banks.export", GET): OFFICERS,
    ("banks.retire", POST): OFFICERS,
    ("banks.reopen", POST): OFFICERS,
    ("banks.image", GET): SIGNED_IN,  # question photos, shown on the attempt pages
    # certificates
    ("certificates.certificate", GET): RECORDS,
    ("certificates.record", GET): RECORDS,
    ("certificates.verify", GET): EVERYONE,
    # competitions and star workers
    ("competitions.index", GET): SIGNED_IN,
    ("competitions.new", GET): OFFICERS,
    ("competitions.new", POST): OFFICERS,
    ("competitions.leaderboard", GET): SIGNED_IN,
    ("competitions.leaderboard_export", GET): SIGNED_IN,
    ("competitions.screen", GET): SIGNED_IN,
    ("competitions.my_stars", GET): SIGNED_IN,
    ("competitions.crews", GET): READERS,
    ("competitions.crew_stars", GET): READERS,  # a manager: crews of their own sites
    # kiosk mode
    ("kiosk.settings", GET): OFFICERS,
    ("kiosk.settings", POST): OFFICERS,
    ("kiosk.ping", GET): expect("unauthorized", "ok", "ok", "ok", "ok"),
    # the front door
    ("main.index", GET): EVERYONE,  # visitors are sent on to the sign-in form
    ("main.language", GET): EVERYONE,
    ("main.healthz", GET): EVERYONE,
    ("managers.index", GET): ADMINS,
    ("managers.save", POST): ADMINS,
    # people
    ("people.index", GET): OFFICERS,
    ("people.crew", GET): OFFICERS,
    ("people.print_cards", POST): OFFICERS,
    ("people.worker", GET): OFFICERS,
    ("people.extra_time", POST): OFFICERS,
    ("people.deactivate", POST): OFFICERS,
    ("people.reactivate", POST): OFFICERS,
    ("people.issue_card", POST): OFFICERS,
    ("people.revoke_card", POST): OFFICERS,
    # practice: anyone signed in, on banks whose answers may be shown
    ("practice.intro", GET): SIGNED_IN,
    ("practice.start", POST): SIGNED_IN,
    ("practice.question", GET): SIGNED_IN,
    ("practice.question", POST): SIGNED_IN,
    ("practice.done", GET): SIGNED_IN,
    # quizzes: anyone signed in may start one; an attempt's pages are its owner's
    ("quizzes.index", GET): SIGNED_IN,
    ("quizzes.history", GET): SIGNED_IN,
    ("quizzes.start", POST): SIGNED_IN,
    ("quizzes.resume", GET): OWN_ATTEMPT,
    ("quizzes.question", GET): OWN_ATTEMPT,
    ("quizzes.question", POST): OWN_ATTEMPT,
    ("quizzes.save", POST): OWN_ATTEMPT,
    ("quizzes.paper", GET): OWN_ATTEMPT,
    ("quizzes.overview", GET): OWN_ATTEMPT,
    ("quizzes.submit", POST): OWN_ATTEMPT,
    ("quizzes.result", GET): OWN_ATTEMPT,
    # reports (the manager's site A; other sites: `test_a_manager_sees_nothing_of_another_site`)
    ("reports.company", GET): READERS,
    ("reports.company_export", GET): READERS,
    ("reports.site", GET): READERS,
    ("reports.site_export", GET): READERS,
    ("reports.crew", GET): READERS,
    ("reports.crew_export", GET): READERS,
    ("reports.ledger", GET): READERS,
    ("reports.worker", GET): READERS,
    ("reports.worker_export", GET): READERS,
    ("reports.attempt", GET): READERS,
    ("reports.attempt_export", GET): READERS,
    # roster import
    ("roster.upload", GET): OFFICERS,
    ("roster.upload", POST): OFFICERS,
    ("roster.apply", POST): OFFICERS,
}

#: Allowed POSTs that spoil what later requests find (a draft gone, a card revoked, a bank
#: retired, an attempt submitted): they run after every other allowed POST.
DESTRUCTIVE = frozenset(
    {
        "api_tokens.revoke",
        "assignments.cancel",
        "banks.discard",
        "banks.publish",
        "banks.reopen",
        "banks.retire",
        "managers.save",
        "people.deactivate",
        "people.issue_card",
        "people.print_cards",
        "people.reactivate",
        "people.revoke_card",
        "quizzes.submit",
        "roster.apply",
    }
)
#: Allowed POSTs that change who the browser is signed in as: a card's sign-in runs first (on
#: a copy of the role's browser, before any card is revoked), sign-out last.
SWITCHES_PERSON = "auth.card"
SIGNS_OUT = "auth.signout"

#: Well-formed requests for the refused roles: a refusal must not depend on a bad form.
REFUSED_BODIES = {
    "quizzes.save": {"json": {"question_id": "q1", "selected": ["A"]}},
    "quizzes.question": {"data": {"choice": "A"}},
    "people.extra_time": {"data": {"multiplier": "3"}},
    "kiosk.settings": {"data": {"mode": "on"}},
    "api_tokens.index": {"data": {"name": "stolen"}},
}

QUIZ = "  shuffle_questions: false\n  shuffle_choices: false"
RIGHT = {"q1": ["B"], "q2": ["A", "B", "C"], "q3": ["F"]}
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)
IMAGE = "images/s1.png"


# --- the world ----------------------------------------------------------------------------------


@dataclass
class World:
    """Two sites, their crews and people, a bank and everything made of it; ids only."""

    ids: dict[str, int] = field(default_factory=dict)
    people: dict = field(default_factory=dict)
    values: dict = field(default_factory=dict)
    overrides: dict[str, dict] = field(default_factory=dict)
    card: str = ""
    api_secret: str = ""

    def values_for(self, endpoint: str) -> dict:
        """The values the endpoint's address is built from."""
        return {**self.values, **self.overrides.get(endpoint, {})}

    def fresh_draft(self) -> int:
        """A new draft of the officer's, for a publish or discard that uses one up."""
        draft = save_draft(DRAFT_YAML.encode(), "draft.yaml", by=self.people["officer"])
        db.session.commit()
        return draft.id


DRAFT_YAML = BANK_YAML.format(id="access-draft", quiz=QUIZ)


def finish(user, bank, answers=RIGHT):
    """An attempt of `user` at `bank`, answered and submitted."""
    attempt = quiz_services.start_attempt(user, bank)
    for question_id, selected in answers.items():
        quiz_services.save_answer(attempt, question_id, selected)
    quiz_services.submit_attempt(attempt)
    db.session.commit()
    return attempt


@pytest.fixture
def world(make_user) -> World:
    """Sites A and B; crew A1 (A) with workers W1 and W2, crew B1 (B) with W3; two officers, a
    manager of site A only, an admin; a bank with two versions (the second with a photo), a
    draft, assignments, a competition; passed attempts of W1, W2 and W3 (W1's certified) and
    running ones of W1 and W2; a login card of W1's; an API token for site A."""
    people = {
        "w1": make_user(name="Worker One", crew_name="Crew A1", site_name="Site A"),
        "w2": make_user(name="Worker Two", crew_name="Crew A1", site_name="Site A"),
        "w3": make_user(name="Worker Three", crew_name="Crew B1", site_name="Site B"),
        "officer": make_user("officer", name="Officer"),
        "officer2": make_user("officer", name="Other Officer"),
        "manager": make_user("manager", name="Manager of A"),
        "admin": make_user("admin", name="Admin"),
    }
    w1, w3 = people["w1"], people["w3"]
    site_a, site_b = w1.crew.site, w3.crew.site
    people["manager"].managed_sites = [site_a]

    text = BANK_YAML.format(id="access", quiz=QUIZ)
    bank = store_bank(parse_bank(text.encode(), "access.yaml"), text, "access.yaml").version.bank
    db.session.commit()
    finished = {name: finish(people[name], bank) for name in ("w1", "w2", "w3")}
    assert all(attempt.passed for attempt in finished.values())

    # Version 2 names a photo, so the image, the diff and the photo on the paper all exist.
    text = text.replace("首先应当怎么做？\n", f"首先应当怎么做？\n    image: {IMAGE}\n", 1)
    content = parse_bank(text.encode(), "access.yaml", image_paths=[IMAGE])
    version = store_bank(content, text, "access.zip", images={IMAGE: ("image/png", PNG)}).version
    running = {name: quiz_services.start_attempt(people[name], bank) for name in ("w1", "w2")}
    quiz_services.save_answer(running["w1"], "q1", ["A"])
    db.session.commit()
    certificate = certificate_for(finished["w1"])

    draft = save_draft(DRAFT_YAML.encode(), "draft.yaml", by=people["officer"])
    soon = utcnow() + timedelta(days=7)
    both = create_assignment(bank, due_at=soon, crews=[w1.crew, w3.crew])
    only_b = create_assignment(bank, due_at=soon, crews=[w3.crew])
    competition = create_competition(
        "Spring cup", starts_at=utcnow() - timedelta(days=1), ends_at=soon, banks=[bank]
    )
    card = cards.issue_card(w1, by=people["officer"])
    token, secret = issue_token("HR system", [site_a], by=people["admin"])
    db.session.commit()

    ids = {
        "site_a": site_a.id,
        "site_b": site_b.id,
        "crew_a1": w1.crew_id,
        "crew_b1": w3.crew_id,
        **{name: person.id for name, person in people.items()},
        **{f"{name}_finished": attempt.id for name, attempt in finished.items()},
        **{f"{name}_running": attempt.id for name, attempt in running.items()},
        "both": both.id,
        "only_b": only_b.id,
    }
    values = {
        "slug": bank.slug,
        "number": version.number,
        "version_id": version.id,
        "path": IMAGE,
        "draft_id": draft.id,
        "assignment_id": both.id,
        "competition_id": competition.id,
        "site_id": site_a.id,
        "crew_id": w1.crew_id,
        "user_id": w1.id,
        "attempt_id": running["w1"].id,  # the worker-facing attempt pages: W1's running one
        "position": 1,
        "code": "en",
        "token": card,
        "token_id": token.id,
        "fmt": "csv",
    }
    w1_finished = finished["w1"].id
    overrides = {
        # Pages about a finished attempt take W1's passed one.
        "certificates.certificate": {"attempt_id": w1_finished},
        "reports.attempt": {"attempt_id": w1_finished},
        "reports.attempt_export": {"attempt_id": w1_finished, "name": "answers"},
        "certificates.verify": {"code": certificate.code},
        "managers.save": {"user_id": people["manager"].id},
        "reports.company_export": {"name": "crews"},
        "reports.site_export": {"name": "crews"},
        "reports.crew_export": {"name": "workers"},
        "reports.worker_export": {"name": "attempts"},
        "api.crew": {"id": w1.crew_id},
        "api.worker": {"id": w1.id},
        "api.attempt": {"id": w1_finished},
        "api.assignment": {"id": both.id},
        "api.standings": {"id": both.id},
    }
    return World(
        ids=ids, people=people, values=values, overrides=overrides, card=card, api_secret=secret
    )


@pytest.fixture
def browsers(app, world) -> dict[str, FlaskClient]:
    """A browser per role, each signed in once (password hashes are slow): the worker is W1."""
    signed_in_as = {
        "worker": "w1",
        "officer": "officer",
        "manager": "manager",
        "admin": "admin",
    }
    browsers = {"anonymous": app.test_client()}
    for role, name in signed_in_as.items():
        browsers[role] = app.test_client()
        assert sign_in(browsers[role], world.people[name]).status_code == 302
    return browsers


# --- helpers ------------------------------------------------------------------------------------


def app_routes(app: Flask) -> dict[tuple[str, str], list]:
    """Every (endpoint, method) the app answers, with its rules; `static` aside."""
    routes: dict[tuple[str, str], list] = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted(rule.methods - IMPLICIT_METHODS):
            routes.setdefault((rule.endpoint, method), []).append(rule)
    return routes


def outcome(response) -> str:
    """The class of answer a response is."""
    code = response.status_code
    if 300 <= code < 400:
        location = urlsplit(response.location)
        # Flask-Login's refusal names the page asked for; sign-out's own redirect does not.
        if location.path == "/signin" and "next" in parse_qs(location.query):
            return "signin"
        return "ok"
    if 200 <= code < 300:
        return "ok"
    return {401: "unauthorized", 403: "forbidden", 404: "missing"}.get(code, str(code))


def address(app: Flask, rule, values: dict) -> str:
    """The rule's address from `values`; KeyError names an argument the world has no value for."""
    missing = rule.arguments - values.keys()
    if missing:
        raise KeyError(", ".join(sorted(missing)))
    arguments = {name: values[name] for name in rule.arguments}
    return app.url_map.bind("localhost").build(rule.endpoint, arguments, method=None)


def fingerprint() -> dict[str, str]:
    """A digest of every table's rows: equal before and after means nothing was written."""
    digests = {}
    for table in db.metadata.sorted_tables:
        rows = sorted(repr(tuple(row)) for row in db.session.execute(select(table)))
        digests[table.name] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    db.session.rollback()
    return digests


def changed_tables(before: dict[str, str]) -> list[str]:
    after = fingerprint()
    return sorted(name for name in after if after[name] != before.get(name))


def copy_of(app: Flask, browser: FlaskClient) -> FlaskClient:
    """A second browser holding the same session cookie."""
    other = app.test_client()
    name = app.config["SESSION_COOKIE_NAME"]
    cookie = browser.get_cookie(name)
    if cookie is not None:
        other.set_cookie(name, cookie.value)
    return other


def post(browser: FlaskClient, url: str, body: dict | None = None):
    return browser.post(url, **(body or {}))


# --- the matrix ---------------------------------------------------------------------------------


def test_the_matrix_names_every_route_and_no_other(app):
    routes = set(app_routes(app))
    assert {
        # A new route: decide who may use it, and say so here.
        "routes without a MATRIX entry": sorted(routes - MATRIX.keys()),
        # A route renamed or gone: its entry would check nothing.
        "MATRIX entries the app has no route for": sorted(MATRIX.keys() - routes),
    } == {"routes without a MATRIX entry": [], "MATRIX entries the app has no route for": []}
    assert all(set(entry) == set(ROLES) for entry in MATRIX.values())


def test_every_role_gets_the_matrix_answer_on_every_page(app, world, browsers):
    # A page that fails is listed with the others instead of stopping the test at once.
    app.config["PROPAGATE_EXCEPTIONS"] = False
    problems, routes = matrix_routes(app, world, GET)
    checked = 0
    for endpoint, _rule, url, expected in routes:
        for role in ROLES:
            got = outcome(browsers[role].get(url))
            checked += 1
            if got != expected[role]:
                problems.append(
                    f"{role} GET {url} ({endpoint}): expected {expected[role]}, got {got}"
                )
    assert problems == []
    assert checked > 300


def matrix_routes(app: Flask, world: World, wanted: str):
    """Every rule of method `wanted` with its matrix entry and address (problems for those
    without)."""
    problems, routes = [], []
    for (endpoint, method), rules in sorted(app_routes(app).items()):
        if method != wanted:
            continue
        expected = MATRIX.get((endpoint, method))
        if expected is None:
            problems.append(f"{endpoint} {method}: no MATRIX entry")
            continue
        for rule in rules:
            try:
                url = address(app, rule, world.values_for(endpoint))
            except KeyError as missing:
                problems.append(f"{endpoint}: the world has no value for {missing}")
                continue
            routes.append((endpoint, rule, url, expected))
    return problems, routes


def test_every_refused_post_is_refused_and_changes_nothing(app, world, browsers):
    app.config["PROPAGATE_EXCEPTIONS"] = False
    problems, routes = matrix_routes(app, world, POST)
    checked = 0
    for endpoint, _rule, url, expected in routes:
        for role in ROLES:
            if expected[role] not in DENIALS:
                continue
            before = fingerprint()
            got = outcome(post(browsers[role], url, REFUSED_BODIES.get(endpoint)))
            checked += 1
            if got != expected[role]:
                problems.append(
                    f"{role} POST {url} ({endpoint}): expected {expected[role]}, got {got}"
                )
            if changed := changed_tables(before):
                problems.append(f"{role} POST {url} ({endpoint}) was refused but changed {changed}")
    assert problems == []
    assert checked > 75


def test_every_allowed_post_gets_through(app, world, browsers):
    # What each action does is its feature's tests' business: here only that the role gets
    # past the door and the server does not fail, with an empty form.
    app.config["PROPAGATE_EXCEPTIONS"] = False
    problems, routes = matrix_routes(app, world, POST)

    def stage(endpoint: str) -> int:
        if endpoint == SWITCHES_PERSON:
            return 0
        if endpoint == SIGNS_OUT:
            return 3
        return 2 if endpoint in DESTRUCTIVE else 1

    checked = 0
    for current in range(4):
        for role in ROLES:
            for endpoint, rule, url, expected in routes:
                if stage(endpoint) != current or expected[role] in DENIALS:
                    continue
                browser = browsers[role]
                if endpoint == SWITCHES_PERSON:
                    browser = copy_of(app, browser)
                if "draft_id" in rule.arguments:  # publishing or discarding uses the draft up
                    url = address(
                        app, rule, {**world.values_for(endpoint), "draft_id": world.fresh_draft()}
                    )
                response = browser.post(url)
                got = outcome(response)
                checked += 1
                if got in DENIALS or response.status_code >= 500:
                    problems.append(f"{role} POST {url} ({endpoint}): refused or failed: {got}")
    # Signing out did sign out.
    for role in ROLES[1:]:
        if outcome(browsers[role].get("/quizzes")) != "signin":
            problems.append(f"{role} is still signed in after signing out")
    assert problems == []
    assert checked > 50


# --- other people's ids -------------------------------------------------------------------------


def test_a_worker_cannot_reach_another_workers_attempts_or_records(app, world, browsers):
    ids, w1 = world.ids, browsers["worker"]
    problems = []
    before = fingerprint()
    for attempt in (ids["w2_running"], ids["w2_finished"]):
        requests = [
            ("get", f"/attempts/{attempt}", {}),
            ("get", f"/attempts/{attempt}/questions/1", {}),
            ("post", f"/attempts/{attempt}/questions/1", {"data": {"choice": "A"}}),
            ("get", f"/attempts/{attempt}/paper", {}),
            ("get", f"/attempts/{attempt}/overview", {}),
            ("post", f"/attempts/{attempt}/answers", REFUSED_BODIES["quizzes.save"]),
            ("post", f"/attempts/{attempt}/submit", {}),
            ("get", f"/attempts/{attempt}/result", {}),
            ("get", f"/certificates/{attempt}.pdf", {}),
        ]
        for method, url, body in requests:
            got = outcome(getattr(w1, method)(url, **body))
            if got != "missing":
                problems.append(f"W1 {method.upper()} {url}: expected missing, got {got}")
    for url, expected in [
        (f"/records/{ids['w2']}.pdf", "missing"),
        (f"/records/{ids['w3']}.pdf", "missing"),
        (f"/reports/workers/{ids['w2']}", "forbidden"),
        (f"/reports/attempts/{ids['w2_finished']}", "forbidden"),
    ]:
        got = outcome(w1.get(url))
        if got != expected:
            problems.append(f"W1 GET {url}: expected {expected}, got {got}")
    assert problems == []
    assert changed_tables(before) == []
    # The same pages of W1's own attempts do open.
    assert outcome(w1.get(f"/attempts/{ids['w1_running']}/paper")) == "ok"
    assert outcome(w1.get(f"/certificates/{ids['w1_finished']}.pdf")) == "ok"
    assert outcome(w1.get(f"/records/{ids['w1']}.pdf")) == "ok"


def test_a_manager_sees_nothing_of_another_site(app, world, browsers):
    ids, manager = world.ids, browsers["manager"]
    site_b, crew_b1, w3, attempt = ids["site_b"], ids["crew_b1"], ids["w3"], ids["w3_finished"]
    refused = [
        f"/reports/sites/{site_b}",
        f"/reports/sites/{site_b}/export/crews.csv",
        f"/reports/sites/{site_b}/export/trend.xlsx",
        f"/reports/crews/{crew_b1}",
        f"/reports/crews/{crew_b1}/export/workers.csv",
        f"/reports/crews/{crew_b1}/export/trend.xlsx",
        f"/reports/crews/{crew_b1}/ledger.xlsx",
        f"/reports/workers/{w3}",
        f"/reports/workers/{w3}/export/attempts.csv",
        f"/reports/workers/{w3}/export/assignments.xlsx",
        f"/reports/attempts/{attempt}",
        f"/reports/attempts/{attempt}/export/answers.csv",
        f"/reports/?site={site_b}",
        f"/reports/?crew={crew_b1}",
        f"/reports/export/crews.csv?crew={crew_b1}",
        f"/reports/export/sites.csv?site={site_b}",
        f"/stars/crews/{crew_b1}",
        f"/certificates/{attempt}.pdf",
        f"/records/{w3}.pdf",
    ]
    answers = {url: outcome(manager.get(url)) for url in refused}
    assert {url: got for url, got in answers.items() if got not in DENIALS} == {}
    # What the manager does see holds site A's crew and nothing of site B's.
    for url in ("/reports/", "/reports/export/crews.csv", "/stars/crews"):
        page = manager.get(url).get_data(as_text=True)
        assert "Crew A1" in page and "Crew B1" not in page and "Site B" not in page, url
    # The same pages of site A open for them, and site B's for the officer.
    assert outcome(manager.get(f"/reports/crews/{ids['crew_a1']}/ledger.xlsx")) == "ok"
    assert outcome(browsers["officer"].get(f"/reports/crews/{crew_b1}/ledger.xlsx")) == "ok"


def test_people_pages_keep_a_worker_to_their_crew(app, world, browsers):
    ids, officer = world.ids, browsers["officer"]
    wrong = [
        (ids["crew_b1"], ids["w1"]),  # W1 under another site's crew
        (ids["crew_a1"], ids["w3"]),  # W3 under crew A1
        (ids["crew_a1"], ids["officer2"]),  # an officer is not managed here
        (ids["crew_a1"], ids["admin"]),
    ]
    problems = []
    before = fingerprint()
    for crew_id, user_id in wrong:
        base = f"/people/crews/{crew_id}/workers/{user_id}"
        requests = [("get", base, {})] + [
            ("post", base + suffix, body)
            for suffix, body in [
                ("/extra-time", REFUSED_BODIES["people.extra_time"]),
                ("/deactivate", {}),
                ("/reactivate", {}),
                ("/card", {}),
                ("/card/revoke", {}),
            ]
        ]
        for method, url, body in requests:
            got = outcome(getattr(officer, method)(url, **body))
            if got != "missing":
                problems.append(f"officer {method.upper()} {url}: expected missing, got {got}")
    assert problems == []
    assert changed_tables(before) == []


def test_an_officer_cannot_open_another_officers_draft(app, world):
    other = app.test_client()
    sign_in(other, world.people["officer2"])
    draft = world.values["draft_id"]
    before = fingerprint()
    assert outcome(other.get(f"/banks/drafts/{draft}")) == "missing"
    assert outcome(other.post(f"/banks/drafts/{draft}/publish")) == "missing"
    assert outcome(other.post(f"/banks/drafts/{draft}/discard")) == "missing"
    assert changed_tables(before) == []


def test_a_site_api_token_reads_its_site_and_no_other(app, world):
    api = app.test_client()
    headers = {"Authorization": f"Bearer {world.api_secret}"}
    ids = world.ids

    def get(url: str):
        return api.get(url, headers=headers)

    # Its column of the matrix: every API route answers with site A's own ids.
    problems = []
    for (endpoint, method), rules in sorted(app_routes(app).items()):
        if not endpoint.startswith("api.") or method != GET:
            continue
        for rule in rules:
            url = address(app, rule, world.values_for(endpoint))
            if (got := outcome(get(url))) != "ok":
                problems.append(f"token GET {url}: expected ok, got {got}")
    assert problems == []

    # Site B's crew, worker, attempt and assignment are not there, nor is filtering by them.
    foreign = [
        f"/api/v1/crews/{ids['crew_b1']}",
        f"/api/v1/workers/{ids['w3']}",
        f"/api/v1/attempts/{ids['w3_finished']}",
        f"/api/v1/assignments/{ids['only_b']}",
        f"/api/v1/assignments/{ids['only_b']}/standings",
        f"/api/v1/crews?site_id={ids['site_b']}",
        f"/api/v1/workers?crew_id={ids['crew_b1']}",
        f"/api/v1/attempts?worker_id={ids['w3']}",
        f"/api/v1/completion?site_id={ids['site_b']}",
        f"/api/v1/completion?crew_id={ids['crew_b1']}",
    ]
    assert {url: get(url).status_code for url in foreign} == dict.fromkeys(foreign, 404)

    # The lists hold site A's rows only.
    site_a_workers = {ids["w1"], ids["w2"]}
    assert {s["id"] for s in get("/api/v1/sites").json["data"]} == {ids["site_a"]}
    assert {c["id"] for c in get("/api/v1/crews").json["data"]} == {ids["crew_a1"]}
    assert {w["id"] for w in get("/api/v1/workers").json["data"]} == site_a_workers
    attempts = get("/api/v1/attempts").json["data"]
    assert {a["worker_id"] for a in attempts} == site_a_workers
    assert ids["w3_finished"] not in {a["id"] for a in attempts}
    assignments = get("/api/v1/assignments").json["data"]
    assert [(a["id"], a["crew_ids"]) for a in assignments] == [(ids["both"], [ids["crew_a1"]])]
    standings = get(f"/api/v1/assignments/{ids['both']}/standings").json["data"]
    assert {row["worker_id"] for row in standings} == site_a_workers
    completion = get("/api/v1/completion").json["data"]
    assert {row["crew_id"] for row in completion} == {ids["crew_a1"]}
