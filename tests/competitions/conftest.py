"""Finishing attempts at chosen moments with chosen scores, for competitions and stars."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from quizapp.extensions import db
from quizapp.quizzes import services as quiz_services

#: Answers to the test bank (tests/conftest.py: q1 1 point, q2 2 points, q3 1 point) by score.
ANSWERS = {
    100: {"q1": ["B"], "q2": ["A", "B", "C"], "q3": ["F"]},
    75: {"q1": ["A"], "q2": ["A", "B", "C"], "q3": ["F"]},
    50: {"q1": ["B"], "q3": ["F"]},
    25: {"q1": ["B"]},
    0: {},
}


@pytest.fixture
def finish():
    """Finish an attempt of `user` at `bank` scoring `percent`, submitted at `at`."""

    def run(user, bank, percent: int, at: datetime):
        attempt = quiz_services.start_attempt(user, bank, now=at - timedelta(minutes=10))
        for question_id, selected in ANSWERS[percent].items():
            quiz_services.save_answer(attempt, question_id, selected, now=at - timedelta(minutes=5))
        quiz_services.submit_attempt(attempt, now=at)
        db.session.commit()
        assert attempt.percent == percent
        return attempt

    return run
