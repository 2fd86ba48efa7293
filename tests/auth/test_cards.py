"""Login cards: issuing, printing, scanning, revoking; only a hash of each token is stored."""

from __future__ import annotations

import hashlib
import re

import pytest
from sqlalchemy import select, text

from quizapp.audit.models import AuditEntry
from quizapp.auth import cards
from quizapp.auth.cards import qr_svg as real_qr_svg
from quizapp.auth.models import LoginCard
from quizapp.extensions import db
from tests.conftest import sign_in

INVALID = "This card is no longer valid — ask your safety officer for a new one."
# A CSRF token is signed with the second it was made in, so two pages served either side of a
# second boundary differ there and nowhere else.
CSRF_TOKEN = re.compile(r'(name="csrf-token" content="|name="csrf_token" value=")[^"]+')


@pytest.fixture
def crew_of(make_user):
    """Create workers in one crew; return them."""

    def make(*names: str, crew: str = "钢筋一班"):
        return [make_user(name=name, crew_name=crew, site_name="东湖项目部") for name in names]

    return make


@pytest.fixture
def printed(monkeypatch):
    """Every address put into a QR code during the test, in order."""
    encoded: list[str] = []
    real = cards.qr_svg

    def spy(data: str):
        encoded.append(data)
        return real(data)

    monkeypatch.setattr(cards, "qr_svg", spy)
    return encoded


def token_of(url: str) -> str:
    match = re.fullmatch(r"http://localhost/card/([A-Za-z0-9_-]{43})", url)
    assert match, url
    return match.group(1)


def crew_url(worker) -> str:
    return f"/people/crews/{worker.crew_id}"


def worker_url(worker, suffix: str = "") -> str:
    return f"/people/crews/{worker.crew_id}/workers/{worker.id}{suffix}"


def test_only_a_hash_of_the_token_is_stored(app, crew_of):
    (worker,) = crew_of("张伟")
    token = cards.issue_card(worker, by=None)
    db.session.commit()
    card = db.session.scalars(select(LoginCard)).one()
    assert card.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert len(token) >= 43  # 32 random bytes
    for table in ("login_card", "audit_entry"):
        rows = db.session.execute(text(f"SELECT * FROM {table}")).all()  # noqa: S608
        assert rows and token not in repr(rows), table


def test_scanning_a_card_asks_then_signs_the_worker_in(client, make_user, crew_of):
    (worker,) = crew_of("张伟")
    token = cards.issue_card(worker, by=None)
    db.session.commit()
    someone_else = make_user()
    sign_in(client, someone_else)

    page = client.get(f"/card/{token}")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f"Sign in as 张伟 ({worker.employee_no})?" in body
    assert f"{someone_else.name} is signed in on this device now" in body
    assert 'method="post"' in body and 'name="csrf_token"' in body

    response = client.post(f"/card/{token}")
    assert response.status_code == 302 and response.location == "/"
    assert f"张伟 · {worker.employee_no}" in client.get("/quizzes").get_data(as_text=True)


def test_unknown_revoked_and_deactivated_cards_look_the_same(client, crew_of):
    revoked, deactivated = crew_of("李娜", "王强")
    old = cards.issue_card(revoked, by=None)
    cards.revoke_card(revoked, by=None)
    gone = cards.issue_card(deactivated, by=None)
    deactivated.active = False
    db.session.commit()
    pages = []
    for token in ("x" * 43, old, gone, "", "y" * 500):
        for method in (client.get, client.post):
            response = method(f"/card/{token}")
            if token == "":
                assert response.status_code == 404
                continue
            assert response.status_code == 404, token
            page = response.get_data(as_text=True).replace(token, "TOKEN")
            pages.append(CSRF_TOKEN.sub(r"\1CSRF", page))
    assert all(INVALID in page for page in pages)
    assert len(set(pages)) == 1  # nothing tells one kind of dead card from another
    assert client.get("/quizzes").status_code == 302  # nobody was signed in


def test_reissuing_a_card_stops_the_old_one(client, make_user, crew_of, printed):
    (worker,) = crew_of("张伟")
    first = cards.issue_card(worker, by=None)
    db.session.commit()
    sign_in(client, make_user("officer"))

    response = client.post(worker_url(worker, "/card"))
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert "张伟" in response.get_data(as_text=True)
    (url,) = printed
    assert client.get(f"/card/{first}").status_code == 404
    assert client.get(url).status_code == 200
    state = client.get(crew_url(worker)).get_data(as_text=True)
    assert "issued " in state


def test_revoking_a_card_stops_it(client, make_user, crew_of):
    (worker,) = crew_of("张伟")
    token = cards.issue_card(worker, by=None)
    db.session.commit()
    sign_in(client, make_user("officer"))
    assert client.post(worker_url(worker, "/card/revoke")).status_code == 302
    assert client.get(f"/card/{token}").status_code == 404
    assert "revoked " in client.get(worker_url(worker)).get_data(as_text=True)
    # Revoking again changes nothing and records nothing more.
    client.post(worker_url(worker, "/card/revoke"))
    actions = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.action.like("card.%")).order_by(AuditEntry.id)
    )
    assert list(actions) == ["card.issue", "card.revoke"]


def test_a_card_stops_working_when_its_holder_is_no_longer_a_worker(client, crew_of):
    (worker,) = crew_of("张伟")
    token = cards.issue_card(worker, by=None)
    worker.role = "officer"
    db.session.commit()
    assert client.get(f"/card/{token}").status_code == 404
    assert client.post(f"/card/{token}").status_code == 404
    with client.session_transaction() as session:
        assert "_user_id" not in session
    # Back among the workers, the same card signs them in again.
    worker.role = "worker"
    db.session.commit()
    assert client.post(f"/card/{token}").status_code == 302


def test_a_deactivated_worker_gets_no_card(client, make_user, crew_of):
    (worker,) = crew_of("张伟")
    worker.active = False
    db.session.commit()
    sign_in(client, make_user("officer"))
    response = client.post(worker_url(worker, "/card"), follow_redirects=True)
    assert "Reactivate 张伟 before issuing a card." in response.get_data(as_text=True)
    assert db.session.scalars(select(LoginCard)).all() == []


def test_printing_a_crews_cards_gives_one_card_per_worker(client, make_user, crew_of, printed):
    zhang, li, wang = crew_of("张伟", "李娜", "王强")
    crew_of("外人", crew="架子工班")
    wang.active = False
    db.session.commit()
    officer = make_user("officer")
    sign_in(client, officer)

    response = client.post(f"/people/crews/{zhang.crew_id}/cards")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert page.count('<li class="login-card">') == 2 == page.count("<svg")
    assert "王强" not in page and "外人" not in page  # active workers of this crew only
    assert "style=" not in page  # the Content-Security-Policy refuses inline styles
    holders = {cards.user_for_token(token_of(url)): url for url in printed}
    assert set(holders) == {zhang, li}
    for worker, url in holders.items():
        assert str(real_qr_svg(url)) in page  # the code printed holds exactly this address
        card = page[page.index(worker.name) :].split("</li>")[0]
        assert worker.employee_no in card and "钢筋一班" in card and str(real_qr_svg(url)) in card

    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "card.print")).one()
    assert (entry.action, entry.actor_id, entry.target) == (
        "card.print",
        officer.id,
        "crew 钢筋一班",
    )
    assert sorted(entry.details["issued"]) == sorted([zhang.employee_no, li.employee_no])


def test_printing_again_skips_workers_with_cards_unless_reissuing_all(
    client, make_user, crew_of, printed
):
    zhang, li = crew_of("张伟", "李娜")
    kept = cards.issue_card(zhang, by=None)
    db.session.commit()
    sign_in(client, make_user("officer"))

    page = client.post(f"/people/crews/{zhang.crew_id}/cards").get_data(as_text=True)
    assert "李娜" in page and "张伟" not in page
    assert client.get(f"/card/{kept}").status_code == 200

    response = client.post(f"/people/crews/{zhang.crew_id}/cards", follow_redirects=True)
    assert "has a card already" in response.get_data(as_text=True)
    assert len(printed) == 1

    page = client.post(f"/people/crews/{zhang.crew_id}/cards", data={"reissue_all": "y"})
    assert page.get_data(as_text=True).count("<svg") == 2
    assert client.get(f"/card/{kept}").status_code == 404
    assert client.get(printed[0]).status_code == 404  # 李娜's first card, replaced
    assert all(client.get(url).status_code == 200 for url in printed[1:])
    entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry.details["reissue_all"] is True and entry.details["reissued"] == 2


def test_qr_codes_hold_the_card_address_as_inline_svg_without_styles(app):
    with app.test_request_context():
        url = cards.card_url("abc")
        svg = str(cards.qr_svg(url))
    assert url == "http://localhost/card/abc"
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "style" not in svg and "width=" not in svg  # sized by the stylesheet


def test_card_sign_in_needs_the_csrf_token(make_app, make_user):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        worker = make_user(crew_name="钢筋一班")
        token = cards.issue_card(worker, by=None)
        db.session.commit()
        client = app.test_client()
        page = client.get(f"/card/{token}").get_data(as_text=True)
        assert client.post(f"/card/{token}").status_code == 400
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        assert client.post(f"/card/{token}", data={"csrf_token": csrf}).status_code == 302
        db.session.remove()


def test_card_scans_are_rate_limited_per_address(make_app, make_user):
    app = make_app(RATELIMIT_ENABLED=True, CARD_LIMIT_PER_ADDRESS="3 per minute")
    with app.app_context():
        client = app.test_client()
        codes = [client.get(f"/card/guess-{n}").status_code for n in range(3)]
        assert codes == [404, 404, 404]
        assert client.post("/card/guess-4").status_code == 429
        assert app.test_client().get("/signin").status_code == 200  # other pages unaffected
        db.session.remove()
