"""The read-only JSON API: tokens, site scopes, pagination."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from quizapp.api.models import ApiToken
from quizapp.api.routes import bp as api_blueprint
from quizapp.api.services import revoke_token
from quizapp.extensions import csrf, db
from quizapp.quizzes.models import Attempt
from tests.reports.conftest import crew


def attempt_of(user) -> Attempt:
    return db.session.scalar(select(Attempt).where(Attempt.user_id == user.id))


def every_page(client, url: str, headers: dict) -> list[dict]:
    """Follow `next` links to the end."""
    items = []
    while url:
        body = client.get(url, headers=headers).get_json()
        items += body["data"]
        url = body["next"]
    return items


@pytest.mark.parametrize(
    "header",
    [None, "Basic dXNlcjpwYXNz", "Bearer", "Bearer qzt_not-a-token", "Bearer something-else"],
)
def test_requests_without_a_good_token_are_refused(client, world, header):
    headers = {"Authorization": header} if header else {}
    response = client.get("/api/v1/crews", headers=headers)
    assert response.status_code == 401
    assert response.get_json()["error"] == "unauthorized"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_stops_working_at_once(client, world, issue):
    headers = issue()
    assert client.get("/api/v1/crews", headers=headers).status_code == 200
    revoke_token(db.session.scalar(select(ApiToken)), by=None)
    db.session.commit()
    assert client.get("/api/v1/crews", headers=headers).status_code == 401


def test_a_token_for_every_site_reads_everything(client, world, issue):
    headers = issue()
    crews = every_page(client, "/api/v1/crews", headers)
    assert {c["name"] for c in crews} == {"钢筋班", "木工班", "隧道班"}
    workers = every_page(client, "/api/v1/workers", headers)
    assert len(workers) == len(world.workers)  # workers only: no officers, managers, admins


def test_a_site_token_reads_its_sites_and_answers_404_for_the_rest(client, world, issue):
    headers = issue("东湖")
    crews = every_page(client, "/api/v1/crews", headers)
    assert {c["name"] for c in crews} == {"钢筋班", "木工班"}
    tunnel_worker = world.workers["tunnel_pass"]
    tunnel = crew("隧道班").id
    for url in [
        f"/api/v1/crews/{tunnel}",
        f"/api/v1/workers/{tunnel_worker.id}",
        f"/api/v1/attempts/{attempt_of(tunnel_worker).id}",
        f"/api/v1/assignments/{world.tunnel.id}",
        f"/api/v1/assignments/{world.tunnel.id}/standings",
        f"/api/v1/workers?crew_id={tunnel}",
        f"/api/v1/attempts?worker_id={tunnel_worker.id}",
        f"/api/v1/completion?crew_id={tunnel}",
        f"/api/v1/crews?site_id={crew('隧道班').site_id}",
    ]:
        response = client.get(url, headers=headers)
        assert response.status_code == 404, url
        assert response.is_json, url
    attempts = every_page(client, "/api/v1/attempts", headers)
    east_workers = {w.id for k, w in world.workers.items() if not k.startswith("tunnel")}
    assert attempts and {a["worker_id"] for a in attempts} <= east_workers
    assert [a["id"] for a in every_page(client, "/api/v1/assignments", headers)] == [
        world.site_wide.id
    ]


def test_completion_and_standings_say_what_the_reports_say(client, world, issue):
    headers = issue()
    rows = {r["crew"]: r for r in every_page(client, "/api/v1/completion", headers)}
    steel = rows["钢筋班"]
    assert (steel["required"], steel["passed"], steel["expiring"], steel["expired"]) == (4, 2, 1, 1)
    assert steel["completion_percent"] == 50.0 and rows["隧道班"]["overdue"] == 1
    standings = every_page(client, f"/api/v1/assignments/{world.site_wide.id}/standings", headers)
    by_worker = {s["worker_id"]: s for s in standings}
    expiring = by_worker[world.workers["steel_expiring"].id]
    assert (expiring["status"], expiring["expiring"]) == ("passed", True)
    assert by_worker[world.workers["wood_out"].id]["status"] == "no_attempts_left"
    assert by_worker[world.workers["steel_running"].id]["status"] == "in_progress"


def test_lists_come_in_pages_with_next_links(client, world, issue):
    headers = issue()
    first = client.get("/api/v1/workers?limit=4", headers=headers).get_json()
    assert len(first["data"]) == 4 and first["next"].startswith("http://localhost/api/v1/workers?")
    second = client.get(first["next"], headers=headers).get_json()
    ids = [w["id"] for w in first["data"] + second["data"]]
    assert ids == sorted(set(ids)) and len(ids) == 8
    everyone = every_page(client, "/api/v1/workers?limit=1", headers)
    assert len(everyone) == len(world.workers)


@pytest.mark.parametrize(
    "query",
    [
        "limit=0",
        "limit=201",
        "limit=ten",
        "after=-1",
        "submitted_since=yesterday",
        # One past the largest key the database holds (PostgreSQL's INTEGER): refused here,
        # not passed on to overflow the database and abort the request's transaction.
        f"after={2**31}",
        f"worker_id={2**31}",
    ],
)
def test_bad_paging_or_filters_are_400(client, world, issue, query):
    response = client.get(f"/api/v1/attempts?{query}", headers=issue())
    assert response.status_code == 400 and response.is_json


@pytest.mark.parametrize("kind", ["crews", "workers", "assignments", "attempts"])
def test_an_id_beyond_any_key_is_a_json_404(client, world, issue, kind):
    response = client.get(f"/api/v1/{kind}/{2**31}", headers=issue())
    assert response.status_code == 404 and response.is_json


def test_attempts_can_be_read_since_a_time(client, world, issue):
    headers = issue()
    latest = max(
        a.submitted_at for a in db.session.scalars(select(Attempt)) if a.submitted_at is not None
    )
    since = (latest - timedelta(seconds=1)).isoformat()
    recent = client.get(
        "/api/v1/attempts", headers=headers, query_string={"submitted_since": since}
    )
    assert len(recent.get_json()["data"]) == 1


def test_the_api_is_exempt_from_csrf_and_sets_no_cookie(app, client, world, issue):
    app.config["WTF_CSRF_ENABLED"] = True
    headers = issue()
    response = client.get("/api/v1/crews", headers=headers)
    assert response.status_code == 200 and "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "private, no-store"
    assert client.post("/api/v1/crews", headers=headers).status_code == 405  # not a CSRF 400
    assert api_blueprint in csrf._exempt_blueprints  # any write the API gains is exempt too


def test_a_token_remembers_when_it_was_last_used(client, world, issue):
    headers = issue()
    client.get("/api/v1/sites", headers=headers)
    db.session.expire_all()
    assert db.session.scalar(select(ApiToken)).last_used_at is not None
