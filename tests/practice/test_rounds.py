"""Practice rounds and the verdict on one answer, without an app or database."""

import random
from dataclasses import replace

from quizapp.banks.format import Bank, Question, QuizSettings
from quizapp.practice.rounds import ROUND_SIZE, Verdict, can_practise, new_round, verdict

ABC = (("A", "a"), ("B", "b"), ("C", "c"))


def bank(count: int, **quiz) -> Bank:
    questions = tuple(
        Question(id=f"q{i}", type="single", text="?", choices=ABC, answer=("B",))
        for i in range(1, count + 1)
    )
    return Bank("b", "Bank", "zh-CN", None, QuizSettings(**quiz), questions)


def test_a_round_is_short_and_has_no_repeats():
    drawn = new_round(bank(25), random.Random(1))
    assert len(drawn) == ROUND_SIZE == len(set(drawn))
    assert len(new_round(bank(3), random.Random(1))) == 3


def test_a_round_keeps_bank_order_when_shuffling_is_off():
    drawn = new_round(bank(25, shuffle_questions=False), random.Random(7))
    assert drawn == sorted(drawn, key=lambda qid: int(qid[1:]))


def test_verdicts_follow_the_banks_scoring():
    single = bank(1).questions[0]
    assert verdict(single, ["B"], "all_or_nothing") is Verdict.RIGHT
    assert verdict(single, ["A"], "all_or_nothing") is Verdict.WRONG
    multiple = replace(single, type="multiple", answer=("A", "B"))
    assert verdict(multiple, ["B", "A"], "all_or_nothing") is Verdict.RIGHT
    assert verdict(multiple, ["A"], "all_or_nothing") is Verdict.WRONG
    assert verdict(multiple, ["A"], "partial") is Verdict.PARTLY
    assert verdict(multiple, ["A", "C"], "partial") is Verdict.WRONG  # one right, one wrong
    true_false = Question(id="t", type="true_false", text="?", choices=(), answer=("F",))
    assert verdict(true_false, "F", "all_or_nothing") is Verdict.RIGHT


def test_banks_that_never_show_answers_are_not_practised():
    assert can_practise(bank(1))
    assert can_practise(bank(1, review="after_pass"))
    assert not can_practise(bank(1, review="never"))
