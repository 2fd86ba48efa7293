"""The worker's quiz flow through the pages, as a phone without JavaScript would use it."""

from __future__ import annotations

import re
from datetime import timedelta

from quizapp.database import utcnow
from quizapp.extensions import db
from quizapp.quizzes import services
from quizapp.quizzes.models import Attempt
from tests.conftest import sign_in


def start(client, bank) -> Attempt:
    response = client.post(f"/quizzes/{bank.slug}/start")
    assert response.status_code == 302
    attempt_id = int(re.search(r"/attempts/(\d+)", response.location).group(1))
    return db.session.get(Attempt, attempt_id)


def test_worker_takes_a_quiz_from_list_to_result(client, make_user, make_bank):
    worker = make_user(name="张伟")
    bank = make_bank(time_limit="10m", pass_score=75)
    sign_in(client, worker)

    listing = client.get("/quizzes").get_data(as_text=True)
    assert "测试题库" in listing and "Not started" in listing

    attempt = start(client, bank)
    page = client.get(f"/attempts/{attempt.id}", follow_redirects=True).get_data(as_text=True)
    assert "发现有人触电" in page and "Question 1 of 3" in page
    assert 'data-seconds-left="' in page

    client.post(f"/attempts/{attempt.id}/questions/1", data={"choice": "B", "go": "next"})
    client.post(f"/attempts/{attempt.id}/questions/2", data={"choice": ["A", "B", "C"]})
    client.post(f"/attempts/{attempt.id}/questions/3", data={"choice": "T", "go": "overview"})

    overview = client.get(f"/attempts/{attempt.id}/overview").get_data(as_text=True)
    assert "3 of 3 answered" in overview

    response = client.post(f"/attempts/{attempt.id}/submit", follow_redirects=True)
    result = response.get_data(as_text=True)
    assert "Passed" in result and "75%" in result
    assert "先断电，再施救。" in result  # explanation shown after submission

    history = client.get("/history").get_data(as_text=True)
    assert "75%" in history


def test_navigation_buttons_save_and_move(client, make_user, make_bank):
    sign_in(client, make_user())
    attempt = start(client, make_bank())
    response = client.post(f"/attempts/{attempt.id}/questions/2", data={"go": "prev"})
    assert response.location.endswith(f"/attempts/{attempt.id}/questions/1")
    response = client.post(f"/attempts/{attempt.id}/questions/1", data={"choice": "A"})
    assert response.location.endswith(f"/attempts/{attempt.id}/questions/2")
    response = client.post(f"/attempts/{attempt.id}/questions/3", data={"go": "next"})
    assert response.location.endswith(f"/attempts/{attempt.id}/overview")


def test_no_page_or_json_reveals_the_key_before_submission(client, make_user, make_bank):
    sign_in(client, make_user())
    attempt = start(client, make_bank())
    pages = [client.get(f"/attempts/{attempt.id}/questions/{n}") for n in (1, 2, 3)]
    pages += [
        client.get(f"/attempts/{attempt.id}/overview"),
        client.post(
            f"/attempts/{attempt.id}/answers", json={"question_id": "q1", "selected": ["A"]}
        ),
        client.get(f"/attempts/{attempt.id}/result"),
    ]
    for response in pages:
        body = response.get_data(as_text=True)
        assert "先断电，再施救" not in body  # explanation
        assert "Right answer" not in body and '"correct"' not in body
        assert 'class="key"' not in body


def test_resume_after_signing_in_again_keeps_answers_and_time(client, app, make_user, make_bank):
    worker = make_user()
    bank = make_bank(time_limit="10m")
    sign_in(client, worker)
    attempt = start(client, bank)
    client.post(f"/attempts/{attempt.id}/questions/1", data={"choice": "B"})
    client.post("/signout")

    attempt.deadline = utcnow() + timedelta(seconds=200)  # time has passed meanwhile
    db.session.commit()
    phone = app.test_client()
    sign_in(phone, worker)
    response = phone.post(f"/quizzes/{bank.slug}/start")  # "Continue" resumes, never restarts
    assert response.location.endswith(f"/attempts/{attempt.id}/questions/2")
    page = phone.get(f"/attempts/{attempt.id}", follow_redirects=True).get_data(as_text=True)
    assert "Question 2 of 3" in page  # the first unanswered question
    seconds = int(re.search(r'data-seconds-left="(\d+)"', page).group(1))
    assert 195 <= seconds <= 200
    first = phone.get(f"/attempts/{attempt.id}/questions/1").get_data(as_text=True)
    assert re.search(r'value="B" checked', first)


def test_save_endpoint_saves_and_reports_time_left(client, make_user, make_bank):
    sign_in(client, make_user())
    attempt = start(client, make_bank(time_limit="5m"))
    response = client.post(
        f"/attempts/{attempt.id}/answers", json={"question_id": "q2", "selected": ["C", "A"]}
    )
    assert response.status_code == 200
    assert response.json["saved"] is True and 290 <= response.json["seconds_left"] <= 300
    db.session.refresh(attempt)
    assert attempt.selections() == {"q2": "AC"}


def test_save_endpoint_refuses_bad_input_without_storing(client, make_user, make_bank):
    sign_in(client, make_user())
    attempt = start(client, make_bank())
    url = f"/attempts/{attempt.id}/answers"
    for payload in [
        None,
        [],
        {"question_id": 1, "selected": []},
        {"question_id": "q1"},
        {"question_id": "q1", "selected": [1]},
        {"question_id": "q1", "selected": ["A"], "seconds_left": "x"},
        {"question_id": "q1", "selected": ["Z"]},
    ]:
        response = client.post(url, json=payload)
        assert response.status_code == 400, payload
    db.session.refresh(attempt)
    assert attempt.selections() == {}


def test_late_answer_is_refused_with_409(client, make_user, make_bank):
    sign_in(client, make_user())
    attempt = start(client, make_bank(time_limit="1m"))
    attempt.deadline = utcnow() - timedelta(seconds=60)
    db.session.commit()
    url = f"/attempts/{attempt.id}/answers"
    response = client.post(url, json={"question_id": "q1", "selected": ["B"]})
    assert response.status_code == 409 and response.json["error"] == "too_late"
    queued = {"question_id": "q1", "selected": ["B"], "seconds_left": 12.5}
    assert client.post(url, json=queued).status_code == 200


def test_question_page_after_the_deadline_leads_to_submission(client, make_user, make_bank):
    sign_in(client, make_user())
    attempt = start(client, make_bank(time_limit="1m"))
    attempt.deadline = utcnow() - timedelta(seconds=5)
    db.session.commit()
    response = client.get(f"/attempts/{attempt.id}/questions/1")
    assert response.location.endswith(f"/attempts/{attempt.id}/overview")
    overview = client.get(response.location).get_data(as_text=True)
    assert "Time is up" in overview


def test_abandoned_attempt_is_finalised_when_its_owner_returns(client, app, make_user, make_bank):
    worker = make_user()
    sign_in(client, worker)
    attempt = start(client, make_bank(time_limit="1m"))
    client.post(f"/attempts/{attempt.id}/questions/1", data={"choice": "B"})
    attempt.deadline = utcnow() - timedelta(seconds=app.config["OFFLINE_WINDOW_SECONDS"] + 1)
    db.session.commit()
    response = client.get(f"/attempts/{attempt.id}/questions/2")
    assert response.location.endswith(f"/attempts/{attempt.id}/result")
    db.session.refresh(attempt)
    assert attempt.finished_by == "deadline" and attempt.score == 1


def test_double_submission_scores_once(client, make_user, make_bank):
    sign_in(client, make_user())
    attempt = start(client, make_bank())
    client.post(f"/attempts/{attempt.id}/questions/1", data={"choice": "B"})
    client.post(f"/attempts/{attempt.id}/submit")
    submitted_at = db.session.get(Attempt, attempt.id).submitted_at
    client.post(f"/attempts/{attempt.id}/submit")
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).submitted_at == submitted_at


def test_review_policy_after_pass_hides_answers_from_a_failed_attempt(client, make_user, make_bank):
    sign_in(client, make_user())
    attempt = start(client, make_bank(review="after_pass"))
    client.post(f"/attempts/{attempt.id}/submit")
    page = client.get(f"/attempts/{attempt.id}/result").get_data(as_text=True)
    assert "Not passed" in page and "先断电" not in page
    assert "shown once you pass" in page


def test_review_policy_never_hides_answers_even_after_a_pass(client, make_user, make_bank):
    sign_in(client, make_user())
    attempt = start(client, make_bank(review="never", pass_score=0))
    client.post(f"/attempts/{attempt.id}/submit")
    page = client.get(f"/attempts/{attempt.id}/result").get_data(as_text=True)
    assert "Passed" in page and "先断电" not in page


def test_another_workers_attempt_is_not_found(client, make_user, make_bank):
    owner, other = make_user(), make_user()
    attempt = services.start_attempt(owner, make_bank())
    db.session.commit()
    sign_in(client, other)
    for url in [
        f"/attempts/{attempt.id}",
        f"/attempts/{attempt.id}/questions/1",
        f"/attempts/{attempt.id}/overview",
        f"/attempts/{attempt.id}/result",
    ]:
        assert client.get(url).status_code == 404
    assert client.post(f"/attempts/{attempt.id}/submit").status_code == 404
    response = client.post(
        f"/attempts/{attempt.id}/answers", json={"question_id": "q1", "selected": ["B"]}
    )
    assert response.status_code == 404
    assert not db.session.get(Attempt, attempt.id).is_final


def test_quiz_pages_need_a_signed_in_person(client, make_bank):
    make_bank()
    response = client.get("/quizzes")
    assert response.status_code == 302 and "/signin" in response.location


def test_exhausted_attempts_show_a_clear_refusal(client, make_user, make_bank):
    sign_in(client, make_user())
    bank = make_bank(max_attempts=1)
    attempt = start(client, bank)
    client.post(f"/attempts/{attempt.id}/submit")
    response = client.post(f"/quizzes/{bank.slug}/start", follow_redirects=True)
    assert "used all your attempts" in response.get_data(as_text=True)


def test_question_text_is_shown_escaped(client, make_user, app):
    from quizapp.banks.format import parse_bank
    from quizapp.banks.services import store_bank

    text = (
        "id: xss\ntitle: <b>t</b>\nquestions:\n  - id: q1\n    text: <script>alert(1)</script>\n"
        "    choices:\n      A: <img src=x onerror=alert(1)>\n      B: ok\n    answer: B\n"
    )
    store_bank(parse_bank(text.encode(), "xss.yaml"), text, "xss.yaml")
    db.session.commit()
    sign_in(client, make_user())
    response = client.post("/quizzes/xss/start", follow_redirects=True)
    body = response.get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body and "<script>alert" not in body
    assert "&lt;img src=x onerror=alert(1)&gt;" in body


def test_every_standing_has_its_own_label_in_both_languages(app):
    import flask_babel

    from quizapp.quizzes.routes import status_label
    from quizapp.quizzes.status import Standing, Status

    def labels(language: str) -> list[str]:
        with app.test_request_context("/quizzes", headers={"Accept-Language": language}):
            flask_babel.refresh()  # the fixture's app context remembers the last locale
            return [status_label(Standing(status, 0, None, None, None)) for status in Status]

    english, chinese = labels("en"), labels("zh-CN")
    assert english[0] == "Not started" and len(set(english)) == len(Status)
    assert len(set(chinese)) == len(Status)
    assert not set(english) & set(chinese)  # every one of them translated
