"""Star workers: each worker's own page with the reasons, and the crew lists for managers."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from quizapp.assignments import services as assignment_services
from quizapp.competitions.stars import Month
from quizapp.crews.models import Crew, Site
from quizapp.database import utcnow
from quizapp.extensions import db
from tests.conftest import sign_in

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def last_month():
    """The month before this one, and a moment in the middle of it."""
    month = Month.containing(utcnow(), SHANGHAI).previous()
    return month, month.start(SHANGHAI) + timedelta(days=10)


@pytest.fixture
def crews(make_user):
    """钢筋班 on 东湖 with two workers, 隧道班 on 西山 with one."""
    zhang = make_user(name="张伟", crew_name="钢筋班", site_name="东湖")
    li = make_user(name="李娜", crew_name="钢筋班", site_name="东湖")
    wang = make_user(name="王强", crew_name="隧道班", site_name="西山")
    return zhang, li, wang


def crew(name: str) -> Crew:
    return db.session.scalar(select(Crew).where(Crew.name == name))


def test_a_worker_sees_their_stars_and_why(client, crews, make_bank, finish, last_month):
    month, middle = last_month
    zhang = crews[0]
    required, extra = make_bank("required-bank"), make_bank("extra-bank")
    assignment = assignment_services.create_assignment(
        required, due_at=middle + timedelta(days=5), crews=[crew("钢筋班")]
    )
    assignment.created_at = middle - timedelta(days=1)
    db.session.commit()
    finish(zhang, extra, 75, middle)  # a first try that failed
    finish(zhang, extra, 100, middle + timedelta(hours=1))
    sign_in(client, zhang)
    page = client.get(f"/stars?month={month}").get_data(as_text=True)
    assert "★★☆☆☆" in page  # passed a quiz with 100%; not up to date, first try nor two quizzes
    assert "2 stars in " + str(month) in page
    assert "Still without a valid pass: 测试题库." in page
    assert "Not passed at the first attempt: 测试题库." in page
    assert "Best score: 100%." in page
    assert "Passed at least 2 different quizzes in the month." in page  # the rules, listed
    assert "· so far" not in page


def test_this_month_is_judged_so_far_and_future_months_do_not_exist(client, crews):
    sign_in(client, crews[0])
    current = Month.containing(utcnow(), SHANGHAI)
    page = client.get("/stars").get_data(as_text=True)
    assert "· so far" in page and str(current) in page
    assert client.get(f"/stars?month={current.next()}").status_code == 404
    for bad in ("2026-13", "May", "2026-5"):
        assert client.get(f"/stars?month={bad}").status_code == 400


def test_every_signed_in_person_has_a_stars_page(app, make_user):
    assert "/signin" in app.test_client().get("/stars").location
    for role in ("worker", "officer", "manager", "admin"):
        client = app.test_client()
        sign_in(client, make_user(role))
        page = client.get("/stars").get_data(as_text=True)
        assert "Nothing was required." in page, role


def test_crew_lists_are_for_managers_of_the_site_officers_and_admins(app, make_user, crews):
    steel, tunnel = crew("钢筋班"), crew("隧道班")
    east = db.session.scalar(select(Site).where(Site.name == "东湖"))
    manager = make_user("manager")
    manager.managed_sites.append(east)
    db.session.commit()
    anonymous = app.test_client()
    for url in ("/stars/crews", f"/stars/crews/{steel.id}"):
        assert "/signin" in anonymous.get(url).location
    as_worker = app.test_client()
    sign_in(as_worker, crews[0])
    assert as_worker.get("/stars/crews").status_code == 403
    assert as_worker.get(f"/stars/crews/{steel.id}").status_code == 403

    as_manager = app.test_client()
    sign_in(as_manager, manager)
    listing = as_manager.get("/stars/crews").get_data(as_text=True)
    assert "钢筋班" in listing and "隧道班" not in listing
    assert as_manager.get(f"/stars/crews/{steel.id}").status_code == 200
    assert as_manager.get(f"/stars/crews/{tunnel.id}").status_code == 404  # another site's
    outsider = app.test_client()
    sign_in(outsider, make_user("manager"))
    assert outsider.get(f"/stars/crews/{steel.id}").status_code == 404
    for role in ("officer", "admin"):
        client = app.test_client()
        sign_in(client, make_user(role))
        assert "隧道班" in client.get("/stars/crews").get_data(as_text=True)
        assert client.get(f"/stars/crews/{tunnel.id}").status_code == 200
        assert client.get(f"/stars/crews/{tunnel.id + 100}").status_code == 404


def test_a_crew_list_ranks_workers_by_stars(
    client, make_user, crews, make_bank, finish, last_month
):
    month, middle = last_month
    zhang, li, _ = crews
    finish(li, make_bank("one"), 100, middle)
    finish(li, make_bank("two"), 100, middle)
    finish(zhang, make_bank("three"), 50, middle)
    sign_in(client, make_user("officer"))
    page = client.get(f"/stars/crews/{crew('钢筋班').id}?month={month}").get_data(as_text=True)
    assert page.index("李娜") < page.index("张伟")
    assert "★★★★★" in page and "★☆☆☆☆" in page
    assert "王强" not in page
    assert "style=" not in page
