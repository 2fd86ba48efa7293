"""A worker's timed quiz in a real browser: online, offline, through a reload and past the
deadline, with the Content Security Policy enforced (any violation is a console error)."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.browser.conftest import pending, sign_in, start_quiz, wait_until_stored
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

BOTH = pytest.mark.parametrize("viewport", ["phone", "desktop"])


def choose(page, text: str) -> None:
    """Tick the choice with this text, as a finger would."""
    page.locator("label.choice", has_text=text).click()


@BOTH
def test_worker_signs_in_takes_and_submits_a_quiz(open_page, site, viewport):
    worker = site.worker()
    site.bank(time_limit="10m", pass_score=75)
    page = open_page(viewport)

    page.goto(site.url + "/signin")
    page.shot("signin")
    sign_in(page, site, worker)
    expect(page.locator("main")).to_contain_text("测试题库")
    page.shot("quizzes")
    attempt = start_quiz(page)
    expect(page.locator("h1")).to_have_text("Question 1 of 3")
    expect(page.locator(".timer .clock")).to_have_text(re.compile(r"^(10:00|9:5\d)$"))
    page.evaluate("window.samePage = true")  # gone if the browser loads another page

    choose(page, "迅速切断电源")
    page.shot("question-1")
    page.get_by_role("button", name="Next").click()
    expect(page.locator("h1")).to_have_text("Question 2 of 3")
    expect(page.locator("h1")).to_be_focused()
    assert page.url.endswith(f"/attempts/{attempt}/questions/2")
    for text in ("总配电箱", "分配电箱", "开关箱"):
        choose(page, text)
    page.shot("question-2")
    page.get_by_role("button", name="Next").click()
    choose(page, "正确")
    page.get_by_role("button", name="Previous").click()
    expect(page.locator("input[name=choice]:checked")).to_have_count(3)
    page.get_by_role("button", name="Next").click()
    expect(page.locator("input[value=T]")).to_be_checked()
    page.get_by_role("button", name="Finish").click()
    expect(page.locator("h1")).to_have_text("Overview")
    expect(page.locator(".view")).to_contain_text("3 of 3 answered.")
    assert page.url.endswith(f"/attempts/{attempt}/overview")
    assert page.title().startswith("Overview")
    assert page.evaluate("window.samePage") is True  # every move was made without the network
    page.shot("overview")

    page.get_by_role("button", name="Submit answers").click()
    page.wait_for_url(re.compile(rf"/attempts/{attempt}/result$"))
    expect(page.locator(".verdict")).to_have_text("Passed")
    page.shot("result")
    stored = site.attempt(attempt)
    assert stored["final"] and stored["finished_by"] == "worker" and stored["percent"] == 75
    assert stored["answers"] == {"q1": "B", "q2": "ABC", "q3": "T"}
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('quizapp.'))") == []


@BOTH
def test_answers_given_offline_survive_a_failed_reload_and_reach_the_server(
    open_page, site, viewport
):
    worker = site.worker()
    site.bank(time_limit="10m")
    page = open_page(viewport)
    sign_in(page, site, worker)
    attempt = start_quiz(page)
    choose(page, "迅速切断电源")
    wait_until_stored(page)
    assert site.attempt(attempt)["answers"] == {"q1": "B"}

    page.context.set_offline(True)
    expect(page.locator(".net")).to_contain_text("No connection")
    page.get_by_role("button", name="Next").click()  # moving on needs no network
    choose(page, "总配电箱")
    choose(page, "开关箱")
    page.get_by_role("button", name="Next").click()
    choose(page, "错误")
    expect(page.locator(".net")).to_contain_text("Answers waiting to be sent: 2")
    page.shot("offline-question-3")
    page.get_by_role("button", name="Finish").click()
    expect(page.locator(".view")).to_contain_text("3 of 3 answered.")
    page.shot("offline-overview")
    assert site.attempt(attempt)["answers"] == {"q1": "B"}
    assert [(a["question_id"], a["selected"]) for a in pending(page)] == [
        ("q2", ["A", "C"]),
        ("q3", ["F"]),
    ]

    # Offline the quiz cannot be loaded again (there is no service worker): leaving the page
    # asks first, and opening it again brings the browser's own error page. The tab is closed
    # rather than reloaded: during a failed reload, Chromium's offline emulation shows the old
    # page an "online" event and lets it send, which no phone without a network could do.
    with page.expect_event("dialog") as asked:
        page.close(run_before_unload=True)
    assert asked.value.type == "beforeunload"
    page.wait_for_event("close")
    context = page.context
    page = open_page(viewport, context=context)
    with pytest.raises(PlaywrightError, match="ERR_INTERNET_DISCONNECTED"):
        page.goto(f"{site.url}/attempts/{attempt}")
    page.shot("offline-reopen")

    # The browser is closed and opened again (cookies and localStorage kept), online now.
    state = context.storage_state()
    context.close()
    assert site.saves(attempt) == ["q1"]
    page = open_page(viewport, storage_state=state)
    page.goto(f"{site.url}/attempts/{attempt}")
    stored = site.wait_for(attempt, lambda a: len(a["answers"]) == 3)
    assert stored["answers"] == {"q1": "B", "q2": "AC", "q3": "F"}
    wait_until_stored(page)
    assert site.saves(attempt) == ["q1", "q2", "q3"]  # in the order given, each once
    page.goto(f"{site.url}/attempts/{attempt}/questions/2")
    expect(page.locator("input[name=choice]:checked")).to_have_count(2)
    page.get_by_role("button", name="Overview").click()
    page.get_by_role("button", name="Submit answers").click()
    page.wait_for_url(re.compile(rf"/attempts/{attempt}/result$"))
    page.shot("result")
    assert site.attempt(attempt)["final"]


@BOTH
def test_the_deadline_passing_with_the_page_open_submits_the_attempt(open_page, site, viewport):
    worker = site.worker()
    site.bank(time_limit="10m")
    page = open_page(viewport)
    sign_in(page, site, worker)
    attempt = start_quiz(page)
    choose(page, "迅速切断电源")
    wait_until_stored(page)

    site.move_deadline(attempt, 3)
    page.goto(f"{site.url}/attempts/{attempt}/questions/2")
    expect(page.locator(".timer .clock")).to_have_text(re.compile(r"^0:0[1-3]$"))
    choose(page, "总配电箱")
    page.shot("last-seconds")
    page.wait_for_url(re.compile(rf"/attempts/{attempt}/result$"), timeout=15_000)
    page.shot("result")
    stored = site.attempt(attempt)
    assert stored["final"] and stored["answers"] == {"q1": "B", "q2": "A"}


def test_offline_at_the_deadline_answers_wait_and_count_within_the_offline_window(open_page, serve):
    site = serve(ANSWER_GRACE_SECONDS=1, OFFLINE_WINDOW_SECONDS=120)
    worker = site.worker()
    site.bank(time_limit="10m")
    page = open_page("phone")
    sign_in(page, site, worker)
    attempt = start_quiz(page)
    site.move_deadline(attempt, 3)
    page.reload()
    page.context.set_offline(True)
    choose(page, "迅速切断电源")  # recorded with time left, but it cannot be sent

    expect(page.locator(".timer .clock")).to_have_text("0:00", timeout=10_000)
    expect(page.locator(".net")).to_contain_text("Time is up. No connection")
    expect(page.locator("input[name=choice]").first).to_be_disabled()
    page.shot("time-up-offline")
    time.sleep(2.5)  # past the deadline and its grace: only the offline window lets it in
    assert not site.attempt(attempt)["final"]

    page.context.set_offline(False)
    page.wait_for_url(re.compile(rf"/attempts/{attempt}/result$"))
    page.shot("result")
    stored = site.attempt(attempt)
    assert stored["final"] and stored["answers"] == {"q1": "B"}
    assert stored["saved_at"]["q1"] > stored["deadline"] + timedelta(seconds=1)  # the grace


def test_answers_arriving_after_the_offline_window_are_refused_and_named(open_page, serve):
    site = serve(ANSWER_GRACE_SECONDS=1, OFFLINE_WINDOW_SECONDS=2)
    worker = site.worker()
    site.bank(time_limit="10m")
    page = open_page("phone")
    sign_in(page, site, worker)
    attempt = start_quiz(page)
    choose(page, "迅速切断电源")
    wait_until_stored(page)
    site.move_deadline(attempt, 3)
    page.reload()
    page.context.set_offline(True)
    page.get_by_role("button", name="Next").click()
    choose(page, "总配电箱")
    expect(page.locator(".timer .clock")).to_have_text("0:00", timeout=10_000)
    time.sleep(3.5)  # deadline + offline window have passed

    page.context.set_offline(False)
    expect(page.locator(".refused")).to_have_text(
        "Time was up when these answers arrived; they did not count: Question 2"
    )
    expect(page.locator("h1")).to_have_text("Your answers have been submitted.")
    page.shot("refused")
    stored = site.attempt(attempt)
    assert stored["final"] and stored["answers"] == {"q1": "B"}
    page.get_by_role("link", name="See your result").click()
    page.wait_for_url(re.compile(rf"/attempts/{attempt}/result$"))


def test_without_javascript_the_form_posts_still_work(open_page, site):
    worker = site.worker()
    site.bank()
    page = open_page("phone", java_script_enabled=False)
    sign_in(page, site, worker)
    attempt = start_quiz(page)
    choose(page, "迅速切断电源")
    page.get_by_role("button", name="Next").click()
    page.wait_for_url(re.compile(r"/questions/2$"))
    expect(page.locator(".speak")).to_be_hidden()
    page.get_by_role("button", name="Overview").click()
    expect(page.locator(".view")).to_contain_text("1 of 3 answered.")
    page.shot("overview")
    page.get_by_role("button", name="Submit answers").click()
    page.wait_for_url(re.compile(rf"/attempts/{attempt}/result$"))
    answers = site.attempt(attempt)["answers"]
    assert answers == {"q1": "B", "q2": ""}  # "" is question 2 passed over without a choice


def test_answers_given_after_the_session_ended_wait_for_signing_in_again(open_page, site):
    worker = site.worker()
    site.bank(time_limit="10m")
    page = open_page("phone")
    sign_in(page, site, worker)
    attempt = start_quiz(page)
    page.context.clear_cookies()  # signed out elsewhere, or the session ran out

    choose(page, "迅速切断电源")
    signed_out = page.locator(".net a")
    expect(signed_out).to_contain_text("You are signed out")
    page.shot("signed-out")
    assert site.attempt(attempt)["answers"] == {}
    assert [a["question_id"] for a in pending(page)] == ["q1"]

    signed_out.click()
    page.fill("#employee_no", worker.employee_no)
    page.fill("#password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/attempts/{attempt}/questions/\d$"))
    assert site.wait_for(attempt, lambda a: a["answers"])["answers"] == {"q1": "B"}
