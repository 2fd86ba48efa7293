"""Differences between two versions of a bank."""

from quizapp.banks.diff import diff_banks
from quizapp.banks.format import parse_bank

OLD = """\
id: fire
title: 消防安全
quiz:
  pass_score: 80
questions:
  - id: f1
    text: 火警电话是多少？
    choices: {A: '110', B: '119', C: '120'}
    answer: B
  - id: f2
    text: 电气火灾应先断电。
    answer: true
  - id: f3
    text: 油锅起火可以用水浇灭。
    answer: false
"""


def parse(text: str):
    return parse_bank(text.encode(), "fire.yaml")


def test_identical_banks_have_no_difference():
    assert diff_banks(parse(OLD), parse(OLD)).is_empty


def test_added_removed_and_changed_questions_are_told_apart():
    new = (
        OLD.replace("火警电话是多少？", "发生火灾时应拨打哪个电话？")
        .replace(
            "  - id: f3\n    text: 油锅起火可以用水浇灭。\n    answer: false\n",
            "  - id: f4\n    text: 灭火器要定期检查。\n    answer: true\n",
        )
        .replace("pass_score: 80", "pass_score: 90")
    )
    diff = diff_banks(parse(OLD), parse(new))
    assert [q.id for q in diff.added] == ["f4"]
    assert [q.id for q in diff.removed] == ["f3"]
    assert [(c.question_id, c.fields) for c in diff.changed] == [("f1", ("text",))]
    assert diff.settings == (("quiz.pass_score", 80, 90),)


def test_a_changed_key_is_reported_as_a_change_of_the_answer():
    diff = diff_banks(parse(OLD), parse(OLD.replace("answer: B", "answer: C")))
    assert [(c.question_id, c.fields) for c in diff.changed] == [("f1", ("answer",))]
    assert diff.changed[0].old.answer == ("B",) and diff.changed[0].new.answer == ("C",)
