"""Stored item analyses: the JSON round trip and when a stored one may be shown (pure)."""

from datetime import UTC, datetime, timedelta

from quizapp.analytics.items import (
    AttemptResponses,
    ItemResponse,
    TopicStat,
    VersionAnalysis,
    analyse,
)
from quizapp.analytics.snapshots import Fingerprint, dump, is_current, load
from quizapp.banks.format import Question

NOON = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def analysis() -> VersionAnalysis:
    questions = [
        Question(id="q1", type="single", text="?", choices=(("A", "a"), ("B", "b")), answer=("A",)),
        Question(id="q2", type="true_false", text="?", choices=(), answer=("F",)),
        Question(
            id="q3",
            type="multiple",
            text="?",
            choices=(("A", "a"), ("B", "b"), ("C", "c")),
            answer=("A", "C"),
            points=2,
        ),
    ]
    attempts = [
        AttemptResponses(
            i,
            (
                ItemResponse("q1", "A" if i % 3 else "B", float(i % 3 != 0), 1),
                ItemResponse("q2", "F" if i % 2 else "", float(i % 2), 1),
                ItemResponse("q3", "AC" if i % 4 else "A", 2.0 if i % 4 else 1.0, 2),
            ),
        )
        for i in range(1, 30)
    ]
    topics = {"钢筋班": [TopicStat("用电", 12, 0.25)], "": []}
    return VersionAnalysis(analyse(questions, attempts), topics)


def test_an_analysis_comes_back_from_json_exactly():
    original = analysis()
    text = dump(original)
    assert "钢筋班" in text  # Chinese kept as text, not \\u escapes
    assert load(text) == original


def test_a_snapshot_of_another_format_is_not_used():
    assert load('{"format": 0, "attempts": 3}') is None


def test_a_snapshot_is_current_while_nothing_finished_since_however_old():
    same = Fingerprint(20, NOON)
    assert is_current(same, NOON, Fingerprint(20, NOON), NOON + timedelta(days=30), timedelta(0))


def test_a_snapshot_behind_the_attempts_is_shown_only_while_young():
    stored, now = Fingerprint(20, NOON), Fingerprint(21, NOON + timedelta(minutes=1))
    age = timedelta(minutes=15)
    assert is_current(stored, NOON, now, NOON + timedelta(minutes=14), age)
    assert not is_current(stored, NOON, now, NOON + timedelta(minutes=15), age)
    assert not is_current(stored, NOON, now, NOON + timedelta(seconds=1), timedelta(0))
