"""How the upload page lists problems and quotes their source (pure functions of uploads.py)."""

from __future__ import annotations

from quizapp.banks.format import Problem
from quizapp.banks.uploads import EXCERPT_WIDTH, MAX_EXCERPTS, problem_groups


def problem(line: int, column: int, message: str = "something is wrong") -> Problem:
    return Problem("bank.yaml", line, column, message)


def test_an_excerpt_shows_the_line_and_its_neighbours_with_the_caret_under_the_column():
    text = "id: ladders\ntitle: 梯子\nquestions: x\n"
    (group,) = problem_groups(text, [problem(2, 8)])
    excerpt = group.excerpt
    assert excerpt.lines == [(1, "id: ladders"), (2, "title: 梯子"), (3, "questions: x")]
    assert excerpt.lines[1][1][excerpt.caret] == "梯"


def test_a_long_line_is_clipped_around_the_column_and_the_caret_still_points_at_it():
    line = "a" * 5000 + "X" + "b" * 5000
    (group,) = problem_groups(line + "\n", [problem(1, 5001)])
    ((number, shown),) = group.excerpt.lines
    assert number == 1 and len(shown) <= EXCERPT_WIDTH + 2
    assert shown.startswith("…") and shown.endswith("…")
    assert shown[group.excerpt.caret] == "X"


def test_the_same_problem_on_one_line_is_one_item_listing_every_column():
    problems = [problem(3, 12, "alias"), problem(3, 16, "alias"), problem(3, 20, "tag")]
    problems.append(problem(4, 1, "alias"))
    groups = problem_groups("a\nb\nc\nd\n", problems)
    assert [(g.line, g.columns, g.message) for g in groups] == [
        (3, [12, 16], "alias"),
        (3, [20], "tag"),
        (4, [1], "alias"),
    ]


def test_only_the_first_groups_are_quoted_so_the_page_stays_small():
    text = "\n".join(f"k{i}: v" for i in range(200)) + "\n"
    groups = problem_groups(text, [problem(i + 1, 1) for i in range(200)])
    assert len(groups) == 200
    assert [g.excerpt is not None for g in groups] == [True] * MAX_EXCERPTS + [False] * 150


def test_files_that_are_not_yaml_are_listed_without_quotes():
    (group,) = problem_groups("", [problem(1, 1)])
    assert group.excerpt is None and group.columns == [1]
