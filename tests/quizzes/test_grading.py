"""Scoring rules of the bank format, checked without an app or a database."""

from fractions import Fraction

import pytest

from quizapp.banks.format import Question, QuizSettings
from quizapp.quizzes.grading import normalise_selection, score_attempt, score_question

SINGLE = Question(
    id="s", type="single", text="?", choices=(("A", "a"), ("B", "b"), ("C", "c")), answer=("B",)
)
MULTI = Question(
    id="m",
    type="multiple",
    text="?",
    choices=(("A", "a"), ("B", "b"), ("C", "c"), ("D", "d")),
    answer=("A", "B", "C"),
    points=3,
)
TRUE_FALSE = Question(id="t", type="true_false", text="?", choices=(), answer=("F",))


def test_single_choice_scores_only_the_key():
    assert score_question(SINGLE, "B", "all_or_nothing").earned == 1
    assert score_question(SINGLE, "A", "all_or_nothing").earned == 0
    assert score_question(SINGLE, "", "all_or_nothing").earned == 0


def test_true_false_scores_the_key():
    assert score_question(TRUE_FALSE, "F", "all_or_nothing").correct
    assert not score_question(TRUE_FALSE, "T", "all_or_nothing").correct


def test_all_or_nothing_gives_nothing_for_a_partly_right_multiple():
    assert score_question(MULTI, "AB", "all_or_nothing").earned == 0
    assert score_question(MULTI, "ABC", "all_or_nothing").earned == 3


@pytest.mark.parametrize(
    ("selected", "earned"),
    [
        ("ABC", Fraction(3)),
        ("AB", Fraction(2)),  # two of three right letters
        ("ABD", Fraction(1)),  # two right, one wrong
        ("ABCD", Fraction(2)),  # ticking every box does not give full marks
        ("D", Fraction(0)),  # never below zero
        ("", Fraction(0)),
    ],
)
def test_partial_scoring_rewards_right_letters_and_penalises_wrong_ones(selected, earned):
    assert score_question(MULTI, selected, "partial").earned == earned


def test_partial_scoring_does_not_apply_to_single_choice():
    assert score_question(SINGLE, "A", "partial").earned == 0


def test_attempt_passes_at_exactly_the_pass_score():
    questions = [SINGLE, MULTI, TRUE_FALSE]  # 5 points
    settings = QuizSettings(pass_score=80)
    score = score_attempt(questions, {"s": "B", "m": "ABC"}, settings)
    assert (score.earned, score.possible, score.percent, score.passed) == (4, 5, 80, True)


def test_attempt_just_below_the_pass_score_fails_without_rounding_up():
    questions = [SINGLE, MULTI, TRUE_FALSE]
    settings = QuizSettings(pass_score=80, scoring="partial")
    score = score_attempt(questions, {"s": "B", "m": "ABD", "t": "F"}, settings)
    assert score.earned == 3 and score.percent == 60 and not score.passed
    nearly = score_attempt([MULTI], {"m": "AB"}, QuizSettings(pass_score=67, scoring="partial"))
    assert nearly.percent == Fraction(200, 3) and not nearly.passed


def test_unanswered_questions_count_as_wrong():
    score = score_attempt([SINGLE, TRUE_FALSE], {}, QuizSettings())
    assert score.earned == 0 and score.possible == 2 and not score.passed


def test_pass_score_zero_passes_everyone():
    assert score_attempt([SINGLE], {}, QuizSettings(pass_score=0)).passed


def test_selection_is_normalised_to_sorted_unique_letters():
    assert normalise_selection(["C", "A", "C"]) == "AC"
