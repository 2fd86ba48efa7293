"""The office side in a real browser: an officer's upload with errors, then a good one published;
a manager's Monday report from the company down to one worker."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from quizapp.assignments.services import create_assignment
from quizapp.auth.services import create_user
from quizapp.banks.models import Bank
from quizapp.database import utcnow
from quizapp.extensions import db
from quizapp.quizzes import services as quiz_services
from tests.conftest import BANK_YAML, PASSWORD

pytestmark = pytest.mark.browser

BAD_BANK = """\
id: height-work
title: 高处作业
questions:
  - id: h1
    text: 高处作业的高度基准是多少米及以上？
    choices: {A: 1米, B: 2米, C: 3米}
    answer: D
  - id: h1
    type: true_false
    text: 安全带应高挂低用。
    answer: maybe
"""


def sign_in_as(page, site, employee_no: str) -> None:
    page.goto(site.url + "/signin")
    page.fill("#employee_no", employee_no)
    page.fill("#password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_officer_uploads_a_bank_with_errors_sees_them_then_publishes_a_good_one(
    open_page, site, viewport, tmp_path
):
    with site.app.app_context():
        create_user("S1", "陈静", "officer", password=PASSWORD)
        db.session.commit()
    page = open_page(viewport)
    sign_in_as(page, site, "S1")
    page.goto(site.url + "/banks/upload")
    page.shot("upload")

    bad = tmp_path / "height-work.yaml"
    bad.write_text(BAD_BANK, encoding="utf-8")
    page.set_input_files("input[type=file]", str(bad))
    page.get_by_role("button", name="Check the file").click()
    problems = page.locator("section.problems")
    expect(problems.locator("h2")).to_contain_text("nothing was stored")
    # Every problem, each with its line, and the offending source line beside it.
    expect(problems).to_contain_text("height-work.yaml:7:13")  # the key D is no choice
    expect(problems).to_contain_text("height-work.yaml:8:9")  # h1 a second time
    expect(problems).to_contain_text("height-work.yaml:11:")  # maybe is no true/false
    expect(problems.locator("pre.source").first).to_contain_text("answer: D")
    page.shot("upload-errors")
    with site.app.app_context():
        assert db.session.query(Bank).count() == 0

    good = tmp_path / "demo-bank.yaml"
    good.write_text(BANK_YAML.format(id="demo-bank", quiz="  time_limit: 10m"), encoding="utf-8")
    page.set_input_files("input[type=file]", str(good))
    page.get_by_role("button", name="Check the file").click()
    page.wait_for_url(re.compile(r"/banks/drafts/\d+$"))
    expect(page.locator("main")).to_contain_text("发现有人触电，首先应当怎么做？")
    page.shot("preview")
    page.get_by_role("button", name="Publish").click()
    page.wait_for_url(re.compile(r"/banks/demo-bank$"))
    expect(page.locator("main")).to_contain_text("测试题库")
    page.shot("published")
    with site.app.app_context():
        assert [bank.slug for bank in db.session.query(Bank)] == ["demo-bank"]


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_manager_opens_the_report_and_drills_down_to_a_worker(open_page, site, viewport):
    site.bank()
    with site.app.app_context():
        passed, _ = create_user(
            "W1", "张伟", "worker", password=PASSWORD, crew_name="钢筋班", site_name="东湖"
        )
        waiting, _ = create_user("W2", "李娜", "worker", password=PASSWORD, crew_name="钢筋班")
        elsewhere, _ = create_user(
            "W3", "王强", "worker", password=PASSWORD, crew_name="隧道班", site_name="西山"
        )
        manager, _ = create_user("M1", "赵经理", "manager", password=PASSWORD)
        manager.managed_sites = [passed.crew.site]
        bank = db.session.query(Bank).one()
        create_assignment(bank, due_at=utcnow() + timedelta(days=14), site=passed.crew.site)
        create_assignment(bank, due_at=utcnow() + timedelta(days=14), site=elsewhere.crew.site)
        attempt = quiz_services.start_attempt(passed, bank)
        for question, answer in [("q1", ["B"]), ("q2", ["A", "B", "C"]), ("q3", ["F"])]:
            quiz_services.save_answer(attempt, question, answer)
        quiz_services.submit_attempt(attempt)
        db.session.commit()
        assert waiting.crew.site is not None  # 钢筋班 is on 东湖
    page = open_page(viewport)
    sign_in_as(page, site, "M1")
    page.goto(site.url + "/reports/")
    expect(page.locator("h1")).to_have_text("Training completion")
    crews = page.locator("section[aria-labelledby=by-crew]")
    expect(crews).to_contain_text("钢筋班")
    expect(crews).not_to_contain_text("隧道班")  # another site's crew
    expect(page.locator("main")).not_to_contain_text("西山")
    expect(crews.locator("svg.stack").first).to_be_visible()  # the bar reads at a glance
    page.shot("company")

    crews.get_by_role("link", name="钢筋班").click()
    page.wait_for_url(re.compile(r"/reports/crews/\d+"))
    workers = page.locator("main")
    expect(workers).to_contain_text("张伟")
    expect(workers).to_contain_text("李娜")
    expect(workers).to_contain_text("Passed")
    expect(workers).to_contain_text("Not started")
    page.shot("crew")

    page.get_by_role("link", name="张伟").first.click()
    page.wait_for_url(re.compile(r"/reports/workers/\d+"))
    expect(page.locator("h1")).to_contain_text("张伟")
    expect(page.locator("main")).to_contain_text("100")
    page.shot("worker")
