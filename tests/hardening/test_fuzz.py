"""Hypothesis throws arbitrary requests at the answer endpoint and the sign-in form (`-m security`).

Whatever arrives, the answer is a refusal or a success, never a server error; and a refusal
changes nothing in the database. Failing examples are not kept between runs (database=None):
a failure prints the smallest example found, to be pasted into a plain test.
"""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.quizzes.grading import normalise_selection
from quizapp.quizzes.models import Answer, Attempt
from tests.conftest import PASSWORD, sign_in

pytestmark = pytest.mark.security

FUZZ = settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

#: Text a browser can send (lone surrogates cannot be encoded at all).
texts = st.text(st.characters(exclude_categories=("Cs",)), max_size=80)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | texts,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
    max_leaves=12,
)
letters = st.lists(
    st.sampled_from(["A", "B", "C", "D", "T", "F", "a", "", "AB", "Z", "\x00", "选"]), max_size=5
)
save_payloads = st.fixed_dictionaries(
    {
        "question_id": st.sampled_from(["q1", "q2", "q3", "Q1", "q1 ", "q4"]) | texts | json_values,
        "selected": letters | texts | json_values,
    },
    optional={
        "seconds_left": st.none() | st.integers() | st.floats() | st.booleans() | texts,
        "extra": json_values,
    },
)
bodies = st.one_of(
    save_payloads.map(json.dumps),
    json_values.map(json.dumps),
    st.binary(max_size=300),
    st.sampled_from(["[" * 5_000, '{"question_id": "q1", "selected": ["B"]', "", "null"]),
)
content_types = st.sampled_from(
    [
        "application/json",
        "application/json; charset=utf-8",
        "text/plain",
        "application/x-www-form-urlencoded",
    ]
)


def database_state() -> dict:
    """Every table's row count, and every saved answer: what a refusal must leave alone."""
    state = {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }
    state["answers"] = sorted(
        db.session.execute(select(Answer.attempt_id, Answer.question_id, Answer.selected)).all()
    )
    state["attempts"] = sorted(db.session.execute(select(Attempt.id, Attempt.submitted_at)).all())
    db.session.rollback()  # end the read, so the next request sees fresh data
    return state


@pytest.fixture
def running_attempt(client, make_user, make_bank) -> str:
    """A signed-in worker's running attempt (an hour to go); its answer address."""
    sign_in(client, make_user())
    started = client.post(f"/quizzes/{make_bank(time_limit='1h').slug}/start")
    return re.search(r"/attempts/\d+", started.location).group(0) + "/answers"


@FUZZ
@given(body=bodies, content_type=content_types)
def test_answer_endpoint_takes_anything_without_failing(
    client, running_attempt, body, content_type
):
    before = database_state()
    response = client.post(running_attempt, data=body, content_type=content_type)
    assert response.status_code in (200, 400, 409), (body, response.status_code)
    reply = response.get_json()
    if response.status_code == 200:
        assert reply["saved"] is True
        payload = json.loads(body)
        stored = db.session.scalar(
            select(Answer.selected).where(Answer.question_id == payload["question_id"])
        )
        db.session.rollback()
        selected = payload["selected"]
        assert stored == normalise_selection(
            list(selected) if isinstance(selected, str) else selected
        )
    else:
        assert "error" in reply
        assert database_state() == before


@pytest.fixture
def worker(make_user):
    """The one person who could sign in, if anybody guessed W0001's password."""
    return make_user(employee_no="W0001")


@settings(FUZZ, max_examples=100)
@given(
    employee_no=texts | st.just("W0001"),
    password=texts,
    extra=st.dictionaries(texts, texts, max_size=3),
)
def test_sign_in_form_takes_anything_without_failing(app, worker, employee_no, password, extra):
    client = app.test_client()
    before = database_state()
    form = {**extra, "employee_no": employee_no, "password": password}
    response = client.post("/signin", data=form)
    assert response.status_code in (200, 400), (form, response.status_code)
    with client.session_transaction() as session:
        assert "_user_id" not in session
    assert database_state() == before


@pytest.fixture
def csrf_client(make_app, worker):
    """A browser on an app that checks CSRF tokens, as the real one does."""
    return make_app(WTF_CSRF_ENABLED=True).test_client()


@settings(FUZZ, max_examples=50)
@given(token=texts)
def test_sign_in_with_a_forged_csrf_token_is_refused(csrf_client, worker, token):
    before = database_state()
    csrf_client.get("/signin")
    form = {"employee_no": worker.employee_no, "password": PASSWORD, "csrf_token": token}
    assert csrf_client.post("/signin", data=form).status_code == 400
    with csrf_client.session_transaction() as session:
        assert "_user_id" not in session
    assert database_state() == before
