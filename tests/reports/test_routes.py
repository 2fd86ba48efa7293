"""The report pages, their exports and who may open them."""

from __future__ import annotations

import csv
import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.quizzes.models import Attempt
from tests.conftest import ROOT, sign_in
from tests.reports.conftest import crew, site


def attempt_of(user) -> Attempt:
    return db.session.scalar(select(Attempt).where(Attempt.user_id == user.id))


def report_urls(world) -> list[str]:
    """Every report page and export about 西山 (where the manager of 东湖 has no business)."""
    tunnel_site, tunnel = site("西山").id, crew("隧道班").id
    worker = world.workers["tunnel_pass"]
    attempt = attempt_of(worker).id
    return [
        f"/reports/sites/{tunnel_site}",
        f"/reports/sites/{tunnel_site}/export/crews.csv",
        f"/reports/sites/{tunnel_site}/export/trend.xlsx",
        f"/reports/crews/{tunnel}",
        f"/reports/crews/{tunnel}/export/workers.xlsx",
        f"/reports/crews/{tunnel}/ledger.xlsx",
        f"/reports/workers/{worker.id}",
        f"/reports/workers/{worker.id}/export/attempts.csv",
        f"/reports/attempts/{attempt}",
        f"/reports/attempts/{attempt}/export/answers.csv",
        f"/reports/?site={tunnel_site}",
        f"/reports/?crew={tunnel}",
        f"/reports/export/crews.csv?crew={tunnel}",
    ]


def test_workers_are_refused_every_report(client, world):
    sign_in(client, world.people["worker"])
    for url in ["/reports/", "/reports/export/sites.csv", *report_urls(world)]:
        assert client.get(url).status_code == 403, url


def test_signed_out_visitors_are_sent_to_sign_in(client, world):
    response = client.get("/reports/")
    assert response.status_code == 302 and "/signin" in response.location


@pytest.mark.parametrize("role", ["officer", "admin"])
def test_officers_and_admins_see_every_site(client, world, role):
    sign_in(client, world.people[role])
    for url in report_urls(world):
        assert client.get(url).status_code == 200, url


def test_a_manager_sees_their_sites_and_nothing_of_the_others(client, world):
    sign_in(client, world.people["manager"])
    page = client.get("/reports/").get_data(as_text=True)
    assert "钢筋班" in page and "木工班" in page
    assert "隧道班" not in page and "西山" not in page
    for url in report_urls(world):
        assert client.get(url).status_code == 404, url
    east = site("东湖").id
    assert client.get(f"/reports/sites/{east}").status_code == 200
    # A site's own page takes no site filter: it cannot be turned into another site's.
    smuggled = client.get(f"/reports/sites/{east}?site={site('西山').id}").get_data(as_text=True)
    assert "钢筋班" in smuggled and "隧道班" not in smuggled
    own = world.workers["steel_pass"]
    assert client.get(f"/reports/workers/{own.id}").status_code == 200
    assert client.get(f"/reports/attempts/{attempt_of(own).id}").status_code == 200


def test_a_manager_without_sites_sees_no_crew(client, world):
    world.people["manager"].managed_sites = []
    db.session.commit()
    sign_in(client, world.people["manager"])
    page = client.get("/reports/").get_data(as_text=True)
    assert "钢筋班" not in page and "No crews to report on." in page
    assert client.get(f"/reports/crews/{crew('钢筋班').id}").status_code == 404


def test_the_company_page_shows_figures_bars_and_the_trend(client, world):
    sign_in(client, world.people["officer"])
    response = client.get("/reports/", headers={"Accept-Language": "en"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "东湖" in page and "西山" in page and "隧道班" in page
    assert '<rect class="seg passed"' in page and '<polyline class="rate"' in page
    assert "Expiring within 30 days" in page and "Pass rate" in page
    # The security policy forbids inline styles and scripts: none are needed.
    assert not re.search(r"\sstyle=", page) and "<script>" not in page
    assert "Content-Security-Policy" in response.headers


def test_the_print_stylesheet_hides_controls_and_keeps_the_colours():
    # Report pages are office pages: their print rules live in office.css, which they link.
    css = (ROOT / "quizapp" / "static" / "office.css").read_text()
    print_rules = css[css.rindex("@media print") :]
    assert ".filters, .exports, .crumbs { display: none; }" in print_rules
    assert "print-color-adjust: exact" in print_rules


def test_the_crew_page_lists_each_worker_with_each_quiz(client, world):
    sign_in(client, world.people["manager"])
    page = client.get(
        f"/reports/crews/{crew('钢筋班').id}", headers={"Accept-Language": "en"}
    ).get_data(as_text=True)
    assert world.workers["steel_expiring"].employee_no in page
    assert "Expires " in page and "Expired" in page and "In progress" in page
    assert f"/reports/workers/{world.workers['steel_pass'].id}" in page


def test_the_worker_page_lists_attempts_with_version_and_time(client, world):
    sign_in(client, world.people["officer"])
    worker = world.workers["wood_out"]
    page = client.get(f"/reports/workers/{worker.id}", headers={"Accept-Language": "en"})
    text = page.get_data(as_text=True)
    assert text.count("/reports/attempts/") == 2
    assert "v1" in text and "5:00" in text and "No attempts left" in text


def test_the_attempt_page_shows_question_choice_key_and_verdict(client, world):
    sign_in(client, world.people["officer"])
    attempt = attempt_of(world.workers["wood_fail"])
    text = client.get(
        f"/reports/attempts/{attempt.id}", headers={"Accept-Language": "en"}
    ).get_data(as_text=True)
    assert "发现有人触电，首先应当怎么做？" in text
    assert "Chosen: A" in text and "Right answer: B" in text and "wrong" in text


def test_a_running_attempt_shows_no_answers(client, world):
    sign_in(client, world.people["officer"])
    attempt = attempt_of(world.workers["steel_running"])
    text = client.get(
        f"/reports/attempts/{attempt.id}", headers={"Accept-Language": "en"}
    ).get_data(as_text=True)
    assert "still running" in text and "Right answer" not in text
    assert client.get(f"/reports/attempts/{attempt.id}/export/answers.csv").status_code == 404


def test_tables_download_as_csv_and_xlsx(client, world):
    sign_in(client, world.people["officer"])
    response = client.get("/reports/export/crews.csv", headers={"Accept-Language": "en"})
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    steel = next(row for row in rows if row["Crew"] == "钢筋班")
    assert (steel["Required quizzes"], steel["Passed (valid)"], steel["Completion %"]) == (
        "4",
        "2",
        "50.0",
    )
    book = load_workbook(io.BytesIO(client.get("/reports/export/trend.xlsx").data))
    assert book.active.max_row >= 2
    assert client.get("/reports/export/nonsense.csv").status_code == 404


def test_the_ledger_is_an_xlsx_per_crew(client, world):
    sign_in(client, world.people["manager"])
    response = client.get(f"/reports/crews/{crew('木工班').id}/ledger.xlsx")
    assert response.status_code == 200
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]  # 木工班 in the name
    sheet = load_workbook(io.BytesIO(response.data)).active
    names = {sheet.cell(row, 3).value for row in range(5, sheet.max_row + 1)}
    assert names == {world.workers[k].name for k in ("wood_fail", "wood_out", "wood_none")}


def test_filters_are_checked(client, world):
    sign_in(client, world.people["officer"])
    assert client.get("/reports/?from=yesterday").status_code == 400
    assert client.get("/reports/?from=2026-05-02&to=2026-05-01").status_code == 400
    assert client.get("/reports/?site=999999").status_code == 404
    page = client.get(f"/reports/?bank={world.bank.id}&from=2020-01-01&to=2099-12-31")
    assert page.status_code == 200 and "隧道班" in page.get_data(as_text=True)
