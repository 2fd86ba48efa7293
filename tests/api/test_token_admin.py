"""Admins issue API tokens (shown once, only a hash kept), scope them to sites and revoke them."""

from __future__ import annotations

import hashlib
import re

import pytest
from sqlalchemy import select

from quizapp.api.models import ApiToken
from quizapp.audit.models import AuditEntry
from quizapp.extensions import db
from tests.conftest import sign_in
from tests.reports.conftest import site


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_an_admin_issues_a_token_that_is_shown_once(client, world):
    sign_in(client, world.people["admin"])
    east = site("东湖")
    response = client.post("/admin/api-tokens/", data={"name": "HR 系统", "sites": [east.id]})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    secret = re.search(r"qzt_[\w-]+", response.get_data(as_text=True)).group(0)
    token = db.session.scalar(select(ApiToken))
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert [s.name for s in token.sites] == ["东湖"]
    assert secret not in client.get("/admin/api-tokens/").get_data(as_text=True)
    assert "api_token.issue" in actions()
    crews = client.get("/api/v1/crews", headers={"Authorization": f"Bearer {secret}"})
    assert {c["name"] for c in crews.get_json()["data"]} == {"钢筋班", "木工班"}


def test_an_admin_revokes_a_token(client, world, issue):
    headers = issue()
    sign_in(client, world.people["admin"])
    token = db.session.scalar(select(ApiToken))
    response = client.post(f"/admin/api-tokens/{token.id}/revoke")
    assert response.status_code == 302
    assert client.get("/api/v1/crews", headers=headers).status_code == 401
    assert actions()[-1] == "api_token.revoke"
    assert "revoked" in client.get("/admin/api-tokens/").get_data(as_text=True)


@pytest.mark.parametrize("role", ["officer", "manager", "worker"])
def test_only_admins_manage_tokens_and_managers(client, world, role):
    sign_in(client, world.people[role])
    assert client.get("/admin/api-tokens/").status_code == 403
    assert client.post("/admin/api-tokens/", data={"name": "x"}).status_code == 403
    assert client.get("/admin/managers/").status_code == 403
    manager = world.people["manager"]
    assert client.post(f"/admin/managers/{manager.id}/sites").status_code == 403


def test_token_forms_need_their_csrf_token(app, client, world):
    sign_in(client, world.people["admin"])
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post("/admin/api-tokens/", data={"name": "no csrf"}).status_code == 400
    manager = world.people["manager"]
    assert client.post(f"/admin/managers/{manager.id}/sites").status_code == 400
    assert db.session.scalar(select(ApiToken)) is None
