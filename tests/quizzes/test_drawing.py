"""Drawing questions and choice orders."""

import random

from quizapp.banks.format import Bank, Question, QuizSettings
from quizapp.quizzes.drawing import DrawnQuestion, draw


def bank(**quiz) -> Bank:
    questions = tuple(
        Question(
            id=f"q{i}",
            type="single",
            text=f"question {i}",
            choices=(("A", "a"), ("B", "b"), ("C", "c"), ("D", "d")),
            answer=("A",),
        )
        for i in range(1, 21)
    )
    return Bank(
        id="b",
        title="t",
        language=None,
        description=None,
        quiz=QuizSettings(**quiz),
        questions=questions,
    )


def test_draws_the_requested_number_of_distinct_questions():
    drawn = draw(bank(questions=5), random.Random(1))
    assert len(drawn) == 5
    assert len({d.question_id for d in drawn}) == 5


def test_draws_all_questions_by_default():
    assert len(draw(bank(), random.Random(1))) == 20


def test_without_shuffling_bank_order_and_choice_order_are_kept():
    drawn = draw(
        bank(questions=5, shuffle_questions=False, shuffle_choices=False), random.Random(7)
    )
    ids = [int(d.question_id[1:]) for d in drawn]
    assert ids == sorted(ids)
    assert all(d.choice_order == ("A", "B", "C", "D") for d in drawn)


def test_shuffling_changes_orders_but_keeps_every_choice():
    drawn = draw(bank(), random.Random(3))
    assert [d.question_id for d in drawn] != [f"q{i}" for i in range(1, 21)]
    assert all(sorted(d.choice_order) == ["A", "B", "C", "D"] for d in drawn)
    assert any(d.choice_order != ("A", "B", "C", "D") for d in drawn)


def test_drawn_question_survives_storage():
    item = DrawnQuestion("q1", ("C", "A", "B"))
    assert DrawnQuestion.from_json(item.to_json()) == item
