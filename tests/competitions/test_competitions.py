"""Competitions: the leaderboard aggregated in SQL, the officer's form, the big screen, access."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from quizapp.audit.models import AuditEntry
from quizapp.competitions import queries, services
from quizapp.competitions.models import Competition
from quizapp.competitions.standings import rank
from quizapp.database import utcnow
from quizapp.extensions import db
from quizapp.quizzes import services as quiz_services
from tests.conftest import PASSWORD, sign_in


@pytest.fixture
def contest(make_user, make_bank, finish):
    """Two crews competing on two banks for ten days, with attempts in and out of the period.

    钢筋班: 3 active workers; 2 took part — best 100 and 50 on two banks, and 75.
    木工班: 2 active workers; 1 took part — 25.
    Nothing else counts: a deactivated worker, an officer in the crew, an attempt before the
    period or exactly at its end, a bank outside the competition, an attempt still running.
    """
    now = utcnow()
    start, end = now - timedelta(days=10), now
    counted, other = make_bank("counted"), make_bank("also-counted")
    outside = make_bank("outside")
    steel = dict(crew_name="钢筋班", site_name="东湖")
    a, b, c = (make_user(name=n, **steel) for n in ("张伟", "李强", "王芳"))
    gone = make_user(name="离职", **steel)
    boss = make_user("officer", name="班长", **steel)
    e, f = (make_user(name=n, crew_name="木工班", site_name="东湖") for n in ("刘洋", "陈静"))
    empty = make_user(name="空", crew_name="空班")
    for person in (gone, empty):
        person.active = False
    db.session.commit()

    finish(a, counted, 100, start)  # the first moment counts
    finish(a, counted, 50, start + timedelta(days=1))
    finish(a, other, 50, start + timedelta(days=2))
    finish(b, counted, 75, start + timedelta(days=3))
    finish(c, counted, 100, start - timedelta(seconds=1))  # before the period
    finish(c, other, 100, end)  # the end is not part of it
    finish(gone, counted, 100, start + timedelta(days=1))
    finish(boss, counted, 100, start + timedelta(days=1))
    finish(e, outside, 100, start + timedelta(days=1))
    finish(f, counted, 25, start + timedelta(days=1))
    quiz_services.start_attempt(f, other, now=start + timedelta(days=2))  # never finished
    db.session.commit()
    competition = services.create_competition(
        "安全知识竞赛", starts_at=start, ends_at=end, banks=[counted, other]
    )
    db.session.commit()
    return competition


def test_the_leaderboard_counts_participation_and_best_scores_per_crew(contest):
    tallies = {t.crew_name: t for t in queries.crew_tallies(contest)}
    assert set(tallies) == {"钢筋班", "木工班"}  # 空班 has no active workers
    steel, wood = tallies["钢筋班"], tallies["木工班"]
    assert (steel.workers, steel.participants, steel.pairs) == (3, 2, 3)
    assert (steel.best_hundredths, steel.attempts) == (22_500, 4)  # 100 + 50 + 75
    assert (wood.workers, wood.participants, wood.pairs, wood.best_hundredths) == (2, 1, 1, 2500)
    board = rank(tallies.values())
    assert [(s.tally.crew_name, float(s.score)) for s in board] == [
        ("钢筋班", pytest.approx(50 * 2 / 3 + 50 * 0.75)),
        ("木工班", 37.5),
    ]


def test_a_competition_needs_a_title_a_period_and_banks(make_bank):
    bank, now = make_bank(), utcnow()
    for title, end, banks in (
        ("", now, [bank]),
        ("T", now - timedelta(days=1), [bank]),
        ("T", now, []),
    ):
        with pytest.raises(services.CompetitionError):
            services.create_competition(
                title, starts_at=now - timedelta(hours=1), ends_at=end, banks=banks
            )


def test_every_signed_in_person_sees_the_leaderboard_and_the_screen(app, make_user, contest):
    pages = [
        "/competitions/",
        f"/competitions/{contest.id}",
        f"/competitions/{contest.id}/screen",
    ]
    anonymous = app.test_client()
    for url in pages:
        response = anonymous.get(url)
        assert response.status_code == 302 and "/signin" in response.location, url
    for role in ("worker", "officer", "manager", "admin"):
        client = app.test_client()
        sign_in(client, make_user(role))
        for url in pages:
            assert client.get(url).status_code == 200, (role, url)
        assert client.get(f"/competitions/{contest.id + 1}").status_code == 404
        assert client.get(f"/competitions/{contest.id + 1}/screen").status_code == 404


def test_only_officers_and_admins_create_competitions(app, make_user, make_bank):
    bank = make_bank()
    anonymous = app.test_client()
    assert "/signin" in anonymous.get("/competitions/new").location
    assert "/signin" in anonymous.post("/competitions/new").location
    for role in ("worker", "manager"):
        client = app.test_client()
        sign_in(client, make_user(role))
        assert client.get("/competitions/new").status_code == 403
        assert client.post("/competitions/new", data={"title": "x"}).status_code == 403
    for role in ("officer", "admin"):
        client = app.test_client()
        sign_in(client, make_user(role))
        assert client.get("/competitions/new").status_code == 200
    assert db.session.scalars(select(Competition)).all() == []
    assert bank.slug == "demo-bank"


def test_an_officer_opens_a_competition_through_the_form(client, make_user, make_bank, finish):
    bank = make_bank()
    make_bank("not-chosen")
    officer = make_user("officer")
    worker = make_user(name="张伟", crew_name="钢筋班")
    finish(worker, bank, 100, utcnow() - timedelta(minutes=1))
    sign_in(client, officer)
    form = client.get("/competitions/new").get_data(as_text=True)
    assert "测试题库 (demo-bank)" in form
    today = date.today()
    response = client.post(
        "/competitions/new",
        data={
            "title": "五月安全知识竞赛",
            "first_day": (today - timedelta(days=1)).isoformat(),
            "last_day": (today + timedelta(days=1)).isoformat(),
            "banks": [str(bank.id)],
        },
    )
    assert response.status_code == 302
    competition = db.session.scalar(select(Competition))
    assert competition.title == "五月安全知识竞赛" and competition.banks == [bank]
    assert competition.ends_at - competition.starts_at == timedelta(days=3)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "competition.create"))
    assert entry.actor_id == officer.id and entry.details["banks"] == ["demo-bank"]
    page = client.get(response.location).get_data(as_text=True)
    assert "钢筋班" in page and "100.0" in page  # 50 × 1 + 50 × 1
    assert "50 × participation + 50 × accuracy" in page


def test_the_form_refuses_a_period_that_ends_before_it_starts(client, make_user, make_bank):
    bank = make_bank()
    sign_in(client, make_user("officer"))
    response = client.post(
        "/competitions/new",
        data={
            "title": "T",
            "first_day": "2026-05-10",
            "last_day": "2026-05-09",
            "banks": [bank.id],
        },
    )
    assert response.status_code == 200
    assert "cannot be before the first day" in response.get_data(as_text=True)
    response = client.post(
        "/competitions/new",
        data={"title": "T", "first_day": "2026-05-10", "last_day": "2026-05-10"},
    )
    assert "Choose at least one quiz." in response.get_data(as_text=True)
    assert db.session.scalars(select(Competition)).all() == []


def csrf_token(html: str) -> str:
    """The CSRF token a page's form carries."""
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def test_creating_needs_a_csrf_token(make_app, make_user, make_bank):
    bank_id, employee_no = make_bank().id, make_user("officer").employee_no
    db.session.rollback()  # this app's SQLite transaction would hold the other app's writes up
    client = make_app(WTF_CSRF_ENABLED=True).test_client()  # requests in contexts of their own
    token = csrf_token(client.get("/signin").get_data(as_text=True))
    signed_in = client.post(
        "/signin",
        data={"employee_no": employee_no, "password": PASSWORD, "csrf_token": token},
    )
    assert signed_in.status_code == 302
    data = {"title": "T", "first_day": "2026-05-01", "last_day": "2026-05-02", "banks": bank_id}
    assert client.post("/competitions/new", data=data).status_code == 400
    token = csrf_token(client.get("/competitions/new").get_data(as_text=True))
    assert client.post("/competitions/new", data={**data, "csrf_token": token}).status_code == 302
    db.session.rollback()
    assert [c.title for c in db.session.scalars(select(Competition))] == ["T"]


def test_the_leaderboard_downloads_as_csv_and_xlsx(client, make_user, contest):
    sign_in(client, make_user())
    page = client.get(f"/competitions/{contest.id}").get_data(as_text=True)
    assert f'href="/competitions/{contest.id}/leaderboard.xlsx"' in page
    rows = client.get(f"/competitions/{contest.id}/leaderboard.csv").data.decode("utf-8-sig")
    header, first, second = rows.splitlines()
    assert header.startswith("Rank,Crew,Site,Score,Participation")
    assert first.startswith("1,钢筋班,东湖,70.8,66.7,2,3,")
    assert second.startswith("2,木工班,东湖,37.5,50.0,1,2,25.0,")
    book = load_workbook(
        io.BytesIO(client.get(f"/competitions/{contest.id}/leaderboard.xlsx").data)
    )
    sheet = book.active
    assert [cell.value for cell in sheet[2]][:4] == [1, "钢筋班", "东湖", 70.8]
    assert client.get(f"/competitions/{contest.id + 100}/leaderboard.csv").status_code == 404


def test_the_big_screen_is_large_refreshing_and_without_navigation(client, make_user, contest):
    sign_in(client, make_user())
    page = client.get(f"/competitions/{contest.id}/screen").get_data(as_text=True)
    assert '<meta http-equiv="refresh" content="60">' in page
    assert 'aria-label="Main"' not in page and "Sign out" not in page
    assert 'href="/language/zh_CN?next=' in page and 'href="/language/en?next=' in page
    assert "style=" not in page and "<script" not in page
    assert page.index("钢筋班") < page.index("木工班")
    assert "70.8" in page and "37.5" in page


def test_crew_and_competition_names_are_shown_as_text(client, make_user, make_bank, finish):
    hostile = '<script>alert("crew")</script>'
    bank = make_bank()
    finish(make_user(crew_name=hostile), bank, 100, utcnow() - timedelta(minutes=1))
    competition = services.create_competition(
        hostile,
        starts_at=utcnow() - timedelta(days=1),
        ends_at=utcnow() + timedelta(days=1),
        banks=[bank],
    )
    db.session.commit()
    sign_in(client, make_user())
    for url in (
        "/competitions/",
        f"/competitions/{competition.id}",
        f"/competitions/{competition.id}/screen",
    ):
        page = client.get(url).get_data(as_text=True)
        assert hostile not in page and "&lt;script&gt;" in page, url
