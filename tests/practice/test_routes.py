"""Practice pages: untimed, immediate feedback, never recorded."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from quizapp.banks import services as bank_services
from quizapp.extensions import db
from quizapp.quizzes.models import Answer, Attempt
from tests.conftest import PASSWORD, sign_in

#: The test bank's right answers (tests/conftest.py).
KEY = {"q1": "B", "q2": ["A", "B", "C"], "q3": "F"}


def rows() -> tuple[int, int]:
    """Attempts and answers stored: practice must leave both at zero."""
    return (
        db.session.scalar(select(func.count()).select_from(Attempt)),
        db.session.scalar(select(func.count()).select_from(Answer)),
    )


def asked(page: str) -> str:
    """Which of the test bank's questions a practice page shows."""
    texts = {"q1": "发现有人触电", "q2": "三级配电包括哪些", "q3": "配电箱可以不上锁"}
    [question_id] = [qid for qid, text in texts.items() if text in page]
    return question_id


@pytest.fixture
def practising(client, make_user, make_bank):
    """A signed-in worker who has started a practice round of the test bank."""
    make_bank()
    sign_in(client, make_user())
    response = client.post("/practice/demo-bank")
    assert response.status_code == 302 and response.location.endswith("/practice/demo-bank/1")
    return client


def test_the_quiz_list_offers_practice(client, make_user, make_bank):
    make_bank()
    make_bank("secret-bank", review="never")
    sign_in(client, make_user())
    page = client.get("/quizzes").get_data(as_text=True)
    assert 'href="/practice/demo-bank"' in page
    assert 'href="/practice/secret-bank"' not in page


def test_a_question_shows_no_answer_until_it_is_answered(practising):
    page = practising.get("/practice/demo-bank/1").get_data(as_text=True)
    assert "Question 1 of 3" in page
    assert "先断电，再施救" not in page and "Right answer" not in page
    assert 'class="key"' not in page


def test_each_answer_gets_immediate_feedback_with_key_and_explanation(practising):
    verdicts = []
    for position in (1, 2, 3):
        question_id = asked(
            practising.get(f"/practice/demo-bank/{position}").get_data(as_text=True)
        )
        wrong = {"q1": "A", "q2": ["A"], "q3": "T"}[question_id]
        answer = KEY[question_id] if position != 2 else wrong
        page = practising.post(f"/practice/demo-bank/{position}", data={"choice": answer})
        text = page.get_data(as_text=True)
        assert page.status_code == 200
        verdicts.append("Right!" in text)
        assert "Right answer" in text
        if question_id == "q1":
            assert "先断电，再施救。" in text  # the explanation
    assert verdicts == [True, False, True]
    assert "See how you did" in text
    done = practising.get("/practice/demo-bank/done").get_data(as_text=True)
    assert "2 of 3 right" in done
    assert rows() == (0, 0)


def test_an_answer_can_be_tried_again_without_counting_twice(practising):
    question_id = asked(practising.get("/practice/demo-bank/1").get_data(as_text=True))
    wrong = {"q1": "C", "q2": ["D"], "q3": "T"}[question_id]
    assert "Not right." in practising.post("/practice/demo-bank/1", data={"choice": wrong}).text
    assert (
        "Right!" in practising.post("/practice/demo-bank/1", data={"choice": KEY[question_id]}).text
    )
    done = practising.get("/practice/demo-bank/done").get_data(as_text=True)
    assert "1 of 3 right" in done and "2 not answered" in done


def test_an_empty_answer_is_asked_again(practising):
    page = practising.post("/practice/demo-bank/1", data={}).get_data(as_text=True)
    assert "Choose an answer first." in page and "Right answer" not in page


def test_positions_outside_the_round_and_missing_rounds(client, practising, make_bank):
    assert practising.get("/practice/demo-bank/4").status_code == 404
    assert practising.get("/practice/demo-bank/0").status_code == 404
    make_bank("other-bank")
    response = practising.get("/practice/other-bank/1")  # no round of that bank
    assert response.status_code == 302 and response.location.endswith("/practice/other-bank")
    assert practising.get("/practice/other-bank/done").status_code == 302


def test_the_intro_offers_to_continue_a_running_round(practising):
    practising.post("/practice/demo-bank/1", data={"choice": "B"})
    page = practising.get("/practice/demo-bank").get_data(as_text=True)
    assert 'href="/practice/demo-bank/2"' in page and "Start a new round" in page
    assert "never recorded" in page


def test_unknown_retired_and_secret_banks_cannot_be_practised(client, make_user, make_bank):
    retired = make_bank("retired-bank")
    bank_services.set_retired(retired, True)
    make_bank("secret-bank", review="never")
    db.session.commit()
    sign_in(client, make_user())
    for slug in ("no-such-bank", "retired-bank", "secret-bank"):
        assert client.get(f"/practice/{slug}").status_code == 404, slug
        assert client.post(f"/practice/{slug}").status_code == 404, slug
        assert client.get(f"/practice/{slug}/1").status_code == 404, slug


def test_everyone_signed_in_may_practise_and_nobody_else(app, make_user, make_bank):
    make_bank()
    anonymous = app.test_client()
    for method, url in (
        ("get", "/practice/demo-bank"),
        ("post", "/practice/demo-bank"),
        ("get", "/practice/demo-bank/1"),
        ("post", "/practice/demo-bank/1"),
        ("get", "/practice/demo-bank/done"),
    ):
        response = getattr(anonymous, method)(url)
        assert response.status_code == 302 and "/signin" in response.location, url
    for role in ("worker", "officer", "manager", "admin"):
        client = app.test_client()
        sign_in(client, make_user(role))
        assert client.post("/practice/demo-bank").status_code == 302, role
        assert client.get("/practice/demo-bank/1").status_code == 200, role
    assert rows() == (0, 0)


def test_starting_a_round_needs_a_csrf_token(make_app, make_user, make_bank):
    make_bank()
    employee_no = make_user().employee_no
    db.session.rollback()  # this app's SQLite transaction would hold the other app's writes up
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get("/signin").text)[1]
    client.post(
        "/signin", data={"employee_no": employee_no, "password": PASSWORD, "csrf_token": token}
    )
    assert client.post("/practice/demo-bank").status_code == 400
    intro = client.get("/practice/demo-bank").text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', intro)[1]
    assert client.post("/practice/demo-bank", data={"csrf_token": token}).status_code == 302
    assert client.post("/practice/demo-bank/1", data={"choice": "B"}).status_code == 400
