"""The officer's people pages: crews, workers, extra time and deactivation."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from quizapp.audit.models import AuditEntry
from quizapp.auth import cards
from quizapp.extensions import db
from quizapp.quizzes.models import Attempt
from tests.conftest import sign_in


@pytest.fixture
def crew_of(make_user):
    """Create workers in one crew on one site; return them (their crew is `workers[0].crew`)."""

    def make(*names: str, crew: str = "钢筋一班", site: str = "东湖项目部"):
        return [make_user(name=name, crew_name=crew, site_name=site) for name in names]

    return make


def worker_changes() -> list[AuditEntry]:
    """The audit log's entries about workers, oldest first."""
    query = select(AuditEntry).where(AuditEntry.action.like("worker.%")).order_by(AuditEntry.id)
    return list(db.session.scalars(query))


def worker_url(worker, suffix: str = "") -> str:
    return f"/people/crews/{worker.crew_id}/workers/{worker.id}{suffix}"


def test_every_people_page_is_for_officers_and_admins(app, make_user, crew_of):
    (worker,) = crew_of("张伟")
    pages = [
        ("get", "/people/"),
        ("get", f"/people/crews/{worker.crew_id}"),
        ("post", f"/people/crews/{worker.crew_id}/cards"),
        ("get", worker_url(worker)),
        ("post", worker_url(worker, "/extra-time")),
        ("post", worker_url(worker, "/deactivate")),
        ("post", worker_url(worker, "/reactivate")),
        ("post", worker_url(worker, "/card")),
        ("post", worker_url(worker, "/card/revoke")),
        ("get", "/kiosk"),
        ("post", "/kiosk"),
    ]
    anonymous = app.test_client()
    as_worker = app.test_client()
    sign_in(as_worker, make_user())
    for method, url in pages:
        response = getattr(anonymous, method)(url)
        assert response.status_code == 302 and "/signin" in response.location, url
        assert getattr(as_worker, method)(url).status_code == 403, url
    for role in ("officer", "admin"):
        client = app.test_client()
        sign_in(client, make_user(role))
        for method, url in pages:
            data = {"multiplier": "1"} if url.endswith("extra-time") else {}
            assert getattr(client, method)(url, data=data).status_code in {200, 302}, (role, url)


def test_people_page_lists_crews_by_site(client, make_user, crew_of):
    crew_of("张伟", "李强")
    crew_of("王强", crew="架子工班", site="西山隧道项目部")
    make_user(name="没有班组")
    sign_in(client, make_user("officer"))
    page = client.get("/people/").get_data(as_text=True)
    assert page.index("东湖项目部") < page.index("钢筋一班") < page.index("西山隧道项目部")
    assert page.index("西山隧道项目部") < page.index("架子工班")
    assert "1 worker belongs to no crew" in page
    assert 'href="/people/"' in page  # the People link in the navigation


def test_crew_page_shows_each_worker_with_extra_time_and_card_state(client, make_user, crew_of):
    zhang, li, wang = crew_of("张伟", "李娜", "王强")
    li.time_multiplier = 1.5
    cards.issue_card(li, by=None)
    cards.issue_card(wang, by=None)
    cards.revoke_card(wang, by=None)
    wang.active = False
    db.session.commit()
    sign_in(client, make_user("officer"))

    page = client.get(f"/people/crews/{zhang.crew_id}").get_data(as_text=True)
    rows = {name: page[page.index(name) :].split("</tr>")[0] for name in ("张伟", "李娜", "王强")}
    assert zhang.employee_no in rows["张伟"] and "×1<" in rows["张伟"] and ">none<" in rows["张伟"]
    assert "×1.5" in rows["李娜"] and "issued " in rows["李娜"]
    assert "deactivated" in rows["王强"] and "revoked " in rows["王强"]


def test_a_workers_page_links_to_their_training_record(client, make_user, crew_of):
    (zhang,) = crew_of("张伟")
    sign_in(client, make_user("officer"))
    page = client.get(worker_url(zhang)).get_data(as_text=True)
    assert f'href="/records/{zhang.id}.pdf"' in page


def test_another_crews_worker_or_an_unknown_id_is_not_found(client, make_user, crew_of):
    (zhang,) = crew_of("张伟")
    (wang,) = crew_of("王强", crew="架子工班", site="西山隧道项目部")
    colleague = make_user("officer", crew_name="钢筋一班")
    sign_in(client, make_user("officer"))
    assert client.get("/people/crews/9999").status_code == 404
    assert client.post("/people/crews/9999/cards").status_code == 404
    assert client.get(f"/people/crews/{zhang.crew_id}/workers/9999").status_code == 404
    foreign = f"/people/crews/{zhang.crew_id}/workers/{wang.id}"
    for suffix in ("", "/deactivate", "/card", "/card/revoke"):
        method = client.get if suffix == "" else client.post
        assert method(foreign + suffix).status_code == 404, suffix
    # Officers and admins are not managed here, even when they belong to a crew.
    assert client.post(worker_url(colleague, "/deactivate")).status_code == 404
    assert db.session.get(type(wang), wang.id).active and colleague.active


def test_extra_time_lengthens_the_next_attempt(client, make_user, make_bank, crew_of):
    (worker,) = crew_of("张伟")
    bank = make_bank(time_limit="10m")
    sign_in(client, make_user("officer"))
    response = client.post(worker_url(worker, "/extra-time"), data={"multiplier": "1.5"})
    assert response.status_code == 302
    assert "×1.5" in client.get(f"/people/crews/{worker.crew_id}").get_data(as_text=True)
    (entry,) = worker_changes()
    assert entry.action == "worker.extra_time" and worker.employee_no in entry.target
    assert entry.details == {"before": 1.0, "after": 1.5}

    client.post("/signout")
    sign_in(client, worker)
    client.post(f"/quizzes/{bank.slug}/start")
    attempt = db.session.scalars(select(Attempt)).one()
    assert (attempt.deadline - attempt.started_at).total_seconds() == 15 * 60


@pytest.mark.parametrize("value", ["0.5", "3.5", "nan", "inf", "abc", ""])
def test_extra_time_outside_one_to_three_is_refused(client, make_user, crew_of, value):
    (worker,) = crew_of("张伟")
    sign_in(client, make_user("officer"))
    response = client.post(worker_url(worker, "/extra-time"), data={"multiplier": value})
    assert response.status_code == 200 and 'aria-invalid="true"' in response.get_data(as_text=True)
    db.session.refresh(worker)
    assert worker.time_multiplier == 1.0 and worker_changes() == []


def test_deactivation_ends_the_workers_session_and_keeps_their_history(
    app, make_user, make_bank, crew_of
):
    (worker,) = crew_of("张伟")
    bank = make_bank(time_limit="10m")
    on_site = app.test_client()
    sign_in(on_site, worker)
    on_site.post(f"/quizzes/{bank.slug}/start")
    assert on_site.get("/quizzes").status_code == 200

    office = app.test_client()
    sign_in(office, make_user("officer"))
    assert office.post(worker_url(worker, "/deactivate")).status_code == 302
    page = office.get(worker_url(worker)).get_data(as_text=True)
    assert "cannot sign in" in page and "Reactivate" in page

    response = on_site.get("/quizzes")
    assert response.status_code == 302 and "/signin" in response.location
    assert sign_in(on_site, worker).status_code == 200  # refused: the form again
    assert db.session.scalars(select(Attempt)).one().user_id == worker.id  # history stays

    office.post(worker_url(worker, "/reactivate"))
    assert sign_in(on_site, worker).status_code == 302
    changes = worker_changes()
    assert [entry.action for entry in changes] == ["worker.deactivate", "worker.reactivate"]
    assert {entry.actor.role for entry in changes} == {"officer"}
