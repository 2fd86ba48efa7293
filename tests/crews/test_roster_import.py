"""Importing a roster from the command line and the browser: dry run, all or nothing."""

from __future__ import annotations

import io

from sqlalchemy import func, select

from quizapp.audit.models import AuditEntry
from quizapp.auth.models import User
from quizapp.auth.services import find_user
from quizapp.extensions import db
from tests.conftest import sign_in

ROSTER = """employee_no,name,crew,site,role
W2001,周杰,钢筋一班,东湖项目部,worker
W2002,吴芳,钢筋一班,东湖项目部,
W2003,郑浩,电工班,西山隧道项目部,worker
"""


def users() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def test_cli_dry_run_changes_nothing(runner, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER, encoding="utf-8")
    result = runner.invoke(args=["roster", "import", str(path), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "create: 3" in result.output and "dry run: nothing changed" in result.output
    assert users() == 0


def test_cli_imports_gbk_and_a_second_run_changes_nothing(runner, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes(ROSTER.encode("gbk"))
    assert runner.invoke(args=["roster", "import", str(path)]).exit_code == 0
    assert find_user("W2003").crew.site.name == "西山隧道项目部"
    again = runner.invoke(args=["roster", "import", str(path)])
    assert "create: 0, update: 0" in again.output and "unchanged: 3" in again.output
    assert users() == 3


def test_cli_reports_bad_rows_by_line_and_imports_nothing(runner, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER + "W2001,重复,木工班,,\n,无工号,木工班,,\n", encoding="utf-8-sig")
    result = runner.invoke(args=["roster", "import", str(path)])
    assert result.exit_code == 1 and "nothing imported" in result.output
    assert f"{path}:5:" in result.output and f"{path}:6:" in result.output
    assert users() == 0


def test_deactivating_missing_workers_keeps_them_and_their_history(runner, tmp_path, make_user):
    leaver = make_user(employee_no="W1999", crew_name="钢筋一班", site_name="东湖项目部")
    officer = make_user("officer", employee_no="S1")
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER, encoding="utf-8")
    result = runner.invoke(args=["roster", "import", str(path), "--deactivate-missing"])
    assert "deactivate W1999" in result.output
    db.session.expire_all()
    assert find_user("W1999").active is False and find_user("S1").active is True
    assert leaver.id == find_user("W1999").id and officer.active


def upload(client, text: str, **extra):
    data = {"file": (io.BytesIO(text.encode("utf-8")), "roster.csv"), **extra}
    return client.post("/roster/import", data=data, content_type="multipart/form-data")


def test_officer_sees_a_dry_run_then_imports(client, make_user):
    sign_in(client, make_user("officer"))
    preview = upload(client, ROSTER)
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "Create 3 people" in page and "周杰" in page
    assert users() == 1
    token = page.split('name="payload" type="hidden" value="')[1].split('"')[0]
    done = client.post(
        "/roster/import/apply",
        data={"payload": token, "filename": "roster.csv"},
        follow_redirects=True,
    )
    assert "3 created" in done.get_data(as_text=True)
    assert users() == 4
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "roster.import"))
    assert entry.details["create"] == 3


def test_officer_cannot_import_managers_or_admins(client, make_user):
    sign_in(client, make_user("officer"))
    response = upload(client, "employee_no,name,role\nM9,钱经理,manager\n")
    assert response.status_code == 422
    assert "only an administrator may import" in response.get_data(as_text=True)
    assert users() == 1


def test_bad_roster_in_the_browser_shows_lines_and_imports_nothing(client, make_user):
    sign_in(client, make_user("officer"))
    response = upload(client, "employee_no,nmae\nW1,张三\n")
    assert response.status_code == 422 and "did you mean" in response.get_data(as_text=True)
    assert users() == 1


def test_workers_cannot_import_rosters(client, make_user):
    sign_in(client, make_user())
    assert client.get("/roster/import").status_code == 403
    assert upload(client, ROSTER).status_code == 403
    assert client.post("/roster/import/apply", data={}).status_code == 403
