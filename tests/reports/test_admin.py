"""Admins give each manager the sites whose reports they may read."""

from __future__ import annotations

from sqlalchemy import select

from quizapp.audit.models import AuditEntry
from quizapp.extensions import db
from tests.conftest import sign_in
from tests.reports.conftest import crew, site


def test_an_admin_gives_a_manager_their_sites(client, world):
    manager = world.people["manager"]
    sign_in(client, world.people["admin"])
    page = client.get("/admin/managers/").get_data(as_text=True)
    assert manager.employee_no in page and "西山" in page
    field = f"m{manager.id}-sites"
    response = client.post(f"/admin/managers/{manager.id}/sites", data={field: [site("西山").id]})
    assert response.status_code == 302
    db.session.expire_all()
    assert [s.name for s in manager.managed_sites] == ["西山"]
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "manager.sites"))
    assert entry.details == {"added": ["西山"], "removed": ["东湖"]}

    client.post("/signout")
    sign_in(client, manager)
    assert client.get(f"/reports/crews/{crew('隧道班').id}").status_code == 200
    assert client.get(f"/reports/crews/{crew('钢筋班').id}").status_code == 404


def test_only_managers_are_given_sites(client, world):
    sign_in(client, world.people["admin"])
    officer = world.people["officer"]
    assert client.post(f"/admin/managers/{officer.id}/sites").status_code == 404
