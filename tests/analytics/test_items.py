"""Item analysis, checked against small examples worked out by hand, without an app or database."""

import csv
import io
import math
import statistics

import pytest

from quizapp.analytics.items import (
    ITEM_TABLE_COLUMNS,
    SCORE_BIN_LABELS,
    AttemptResponses,
    Flag,
    ItemResponse,
    TopicStat,
    analyse,
    describe,
    item_table_rows,
    weak_topics,
)
from quizapp.banks.format import Question

ABCD = (("A", "a"), ("B", "b"), ("C", "c"), ("D", "d"))


def single(question_id, answer="A", points=1, tags=()):
    """A single-answer question with choices A–D."""
    return Question(
        id=question_id,
        type="single",
        text="?",
        choices=ABCD,
        answer=(answer,),
        points=points,
        tags=tags,
    )


def true_false(question_id, answer="T", tags=()):
    """A true/false question."""
    return Question(
        id=question_id, type="true_false", text="?", choices=(), answer=(answer,), tags=tags
    )


def multiple(question_id, answer=("A", "B"), points=1):
    """A multiple-answer question with choices A–D."""
    return Question(
        id=question_id, type="multiple", text="?", choices=ABCD, answer=answer, points=points
    )


def attempt(attempt_id, *responses):
    """A finished attempt; each response is (question id, selected, earned[, possible])."""
    return AttemptResponses(attempt_id, tuple(ItemResponse(*r) for r in responses))


def item(analysis, question_id):
    """The statistics of one question."""
    return next(stats for stats in analysis.items if stats.question_id == question_id)


# The five-worker quiz: every attempt drew the same three one-point questions.
#
#            Q1 (key A)   Q2 (key B)   Q3 (key T)   right   percent
#   a1       A  1         B  1         T  1         3       100
#   a2       A  1         B  1         F  0         2       66.7
#   a3       A  1         C  0         T  1         2       66.7
#   a4       B  0         B  1         –  0         1       33.3
#   a5       C  0         –  0         F  0         0       0
FIVE_QUESTIONS = (single("Q1", "A"), single("Q2", "B"), true_false("Q3", "T"))
FIVE_ATTEMPTS = (
    attempt(1, ("Q1", "A", 1.0, 1), ("Q2", "B", 1.0, 1), ("Q3", "T", 1.0, 1)),
    attempt(2, ("Q1", "A", 1.0, 1), ("Q2", "B", 1.0, 1), ("Q3", "F", 0.0, 1)),
    attempt(3, ("Q1", "A", 1.0, 1), ("Q2", "C", 0.0, 1), ("Q3", "T", 1.0, 1)),
    attempt(4, ("Q1", "B", 0.0, 1), ("Q2", "B", 1.0, 1), ("Q3", "", 0.0, 1)),
    attempt(5, ("Q1", "C", 0.0, 1), ("Q2", "", 0.0, 1), ("Q3", "F", 0.0, 1)),
)


def ranked_attempts(target_scores, target="Q", selected=None):
    """Attempts 0..n-1 whose rank is fixed by a 20-point filler question.

    Attempt i earns 2i of the filler's 20 points plus `target_scores[i]` on the one-point
    target, so its percent (2i + score) / 21 rises strictly with i: the lower 27% are the
    first attempts, the upper 27% the last.
    """
    selected = selected or ["A" if score else "B" for score in target_scores]
    return [
        attempt(i, ("filler", "A", float(2 * i), 20), (target, selected[i], float(score), 1))
        for i, score in enumerate(target_scores)
    ]


FILLER = single("filler", points=20)


def test_facility_is_the_mean_share_of_points_earned():
    analysis = analyse(FIVE_QUESTIONS, FIVE_ATTEMPTS)
    # Q1: 1+1+1+0+0 = 3 of 5 → 0.6; Q2: 1+1+0+1+0 = 3/5 = 0.6; Q3: 1+0+1+0+0 = 2/5 = 0.4
    assert [stats.facility for stats in analysis.items] == [0.6, 0.6, 0.4]
    assert [stats.n for stats in analysis.items] == [5, 5, 5]


def test_point_biserial_correlates_the_item_with_the_rest_of_the_attempt():
    analysis = analyse(FIVE_QUESTIONS, FIVE_ATTEMPTS)
    # Q1: item x = 1,1,1,0,0 (mean .6); rest = (Q2+Q3)/2 = 1,.5,.5,.5,0 (mean .5)
    #   dx = .4,.4,.4,-.6,-.6   dy = .5,0,0,0,-.5
    #   Σdxdy = .2+.3 = .5   Σdx² = 3×.16+2×.36 = 1.2   Σdy² = .25+.25 = .5
    #   r = .5 / √(1.2×.5) = .5/√.6 = 0.6455
    assert item(analysis, "Q1").discrimination_point_biserial == pytest.approx(0.5 / math.sqrt(0.6))
    # Q2: x = 1,1,0,1,0 (mean .6); rest = (Q1+Q3)/2 = 1,.5,1,0,0 (mean .5)
    #   dx = .4,.4,-.6,.4,-.6   dy = .5,0,.5,-.5,-.5
    #   Σdxdy = .2+0-.3-.2+.3 = 0   → r = 0, exactly, not float noise either side of it
    assert item(analysis, "Q2").discrimination_point_biserial == 0.0
    # Q3: x = 1,0,1,0,0 (mean .4); rest = (Q1+Q2)/2 = 1,1,.5,.5,0 (mean .6)
    #   dx = .6,-.4,.6,-.4,-.4   dy = .4,.4,-.1,-.1,-.6
    #   Σdxdy = .24-.16-.06+.04+.24 = .3   Σdx² = 1.2   Σdy² = .16+.16+.01+.01+.36 = .7
    #   r = .3 / √(1.2×.7) = .3/√.84 = 0.3273
    assert item(analysis, "Q3").discrimination_point_biserial == pytest.approx(
        0.3 / math.sqrt(0.84)
    )


def test_point_biserial_uses_the_rest_as_a_share_when_attempts_drew_different_questions():
    questions = [single(f"Q{i}", points=i) for i in range(1, 5)]
    # Random subsets with different points, so totals differ from attempt to attempt.
    attempts = [
        attempt(1, ("Q1", "A", 1.0, 1), ("Q2", "A", 2.0, 2), ("Q4", "B", 0.0, 4)),
        attempt(2, ("Q1", "B", 0.0, 1), ("Q3", "A", 3.0, 3)),
        attempt(3, ("Q1", "A", 1.0, 1), ("Q2", "A", 2.0, 2), ("Q3", "A", 3.0, 3)),
        attempt(4, ("Q1", "B", 0.0, 1), ("Q4", "B", 0.0, 4), ("Q2", "B", 0.0, 2)),
        attempt(5, ("Q1", "A", 1.0, 1), ("Q4", "A", 4.0, 4)),
        attempt(6, ("Q1", "B", 0.0, 1), ("Q2", "A", 2.0, 2), ("Q3", "B", 0.0, 3)),
    ]
    # Q1's rest, as earned/possible of the other questions:
    #   a1 2/6, a2 3/3, a3 5/5, a4 0/6, a5 4/4, a6 2/5
    items = [1, 0, 1, 0, 1, 0]
    rests = [2 / 6, 3 / 3, 5 / 5, 0 / 6, 4 / 4, 2 / 5]
    analysis = analyse(questions, attempts)
    assert item(analysis, "Q1").discrimination_point_biserial == pytest.approx(
        statistics.correlation(items, rests)
    )
    assert analysis.random_subsets


def test_upper_lower_compares_the_top_and_bottom_27_percent():
    # 10 attempts → groups of round(2.7) = 3: lower = attempts 0,1,2, upper = 7,8,9.
    #   lower scores on Q: 1,0,0 → 1/3     upper: 1,1,0 → 2/3     index = 2/3 − 1/3 = 1/3
    analysis = analyse([FILLER, single("Q")], ranked_attempts([1, 0, 0, 1, 0, 1, 0, 1, 1, 0]))
    assert item(analysis, "Q").discrimination_upper_lower == pytest.approx(1 / 3)


def test_upper_lower_needs_groups_of_three():
    # 9 attempts → groups of round(2.43) = 2, too few to compare.
    analysis = analyse([FILLER, single("Q")], ranked_attempts([1, 0, 0, 1, 0, 1, 0, 1, 1]))
    assert item(analysis, "Q").discrimination_upper_lower is None


def test_choice_counts_and_shares_include_unanswered():
    analysis = analyse(FIVE_QUESTIONS, FIVE_ATTEMPTS)
    assert item(analysis, "Q1").choice_counts == {"A": 3, "B": 1, "C": 1, "D": 0, "": 0}
    assert item(analysis, "Q2").choice_counts == {"A": 0, "B": 3, "C": 1, "D": 0, "": 1}
    assert item(analysis, "Q3").choice_counts == {"T": 2, "F": 2, "": 1}
    # Shares of n = 5: 2/5 = .4 and 1/5 = .2
    assert item(analysis, "Q3").choice_shares == {"T": 0.4, "F": 0.4, "": 0.2}


def test_multiple_answer_choices_count_each_letter_picked():
    question = multiple("M", answer=("A", "B"))
    attempts = [attempt(1, ("M", "AB", 1.0, 1)), attempt(2, ("M", "AC", 0.0, 1))]
    counts = item(analyse([question], attempts), "M").choice_counts
    assert counts == {"A": 2, "B": 1, "C": 1, "D": 0, "": 0}


def test_quiz_mean_percent_and_distribution():
    analysis = analyse(FIVE_QUESTIONS, FIVE_ATTEMPTS)
    assert analysis.attempts == 5
    # (100 + 200/3 + 200/3 + 100/3 + 0) / 5 = (800/3) / 5 = 160/3 = 53.3
    assert analysis.mean_percent == pytest.approx(160 / 3)
    # 0 → 0–9, 33.3 → 30–39, 66.7 twice → 60–69, 100 → 90–100
    assert analysis.score_distribution == (1, 0, 0, 1, 0, 0, 2, 0, 0, 1)
    assert len(SCORE_BIN_LABELS) == 10
    assert SCORE_BIN_LABELS[0] == "0–9"
    assert SCORE_BIN_LABELS[-1] == "90–100"


def test_distribution_bins_at_their_edges():
    question = single("Q", points=100)
    earned = [0, 9, 10, 57, 89, 90, 100]
    attempts = [attempt(i, ("Q", "A", float(e), 100)) for i, e in enumerate(earned)]
    # 0, 9 → 0–9; 10 → 10–19; 57 → 50–59; 89 → 80–89; 90 and 100 → 90–100
    assert analyse([question], attempts).score_distribution == (2, 1, 0, 0, 0, 1, 0, 0, 1, 2)


def test_distribution_is_not_fooled_by_float_rounding():
    questions = [multiple("M1"), multiple("M2"), multiple("M3")]
    # 0.1 + 0.1 + 0.7 = 0.8999999999999999 in floats, so the percent comes out as
    # 29.999999999999996; it is 30 and belongs in 30–39.
    scored = attempt(1, ("M1", "A", 0.1, 1), ("M2", "A", 0.1, 1), ("M3", "AB", 0.7, 1))
    assert analyse(questions, [scored]).score_distribution == (0, 0, 0, 1, 0, 0, 0, 0, 0, 0)


def test_kr20_when_every_attempt_drew_the_same_questions():
    analysis = analyse(FIVE_QUESTIONS, FIVE_ATTEMPTS)
    # k = 3; number right X = 3,2,2,1,0, mean 1.6
    #   Var(X) = (1.4² + .4² + .4² + .6² + 1.6²)/5 = (1.96+.16+.16+.36+2.56)/5 = 5.2/5 = 1.04
    #   Σpq = .6×.4 + .6×.4 + .4×.6 = .72
    #   KR-20 = 3/2 × (1 − .72/1.04) = 3/2 × 4/13 = 6/13 = 0.4615
    assert analysis.kr20 == pytest.approx(6 / 13)
    assert not analysis.random_subsets


def test_kr20_over_random_subsets_uses_each_attempts_own_items():
    questions = [single("Q1"), single("Q2"), single("Q3")]
    # Each attempt drew 2 of the 3 questions (k = 2):
    #        Q1  Q2  Q3   X
    #   a1   1   1   ·    2
    #   a2   1   ·   0    1
    #   a3   ·   0   1    1
    #   a4   0   0   ·    0
    attempts = [
        attempt(1, ("Q1", "A", 1.0, 1), ("Q2", "A", 1.0, 1)),
        attempt(2, ("Q1", "A", 1.0, 1), ("Q3", "B", 0.0, 1)),
        attempt(3, ("Q2", "B", 0.0, 1), ("Q3", "A", 1.0, 1)),
        attempt(4, ("Q1", "B", 0.0, 1), ("Q2", "B", 0.0, 1)),
    ]
    # n·p·q per item: Q1 3×(2/3)(1/3) = 2/3, Q2 3×(1/3)(2/3) = 2/3, Q3 2×(1/2)(1/2) = 1/2
    #   mean Σpq per attempt = (2/3 + 2/3 + 1/2) / 4 = (11/6)/4 = 11/24
    #   Var(X) over 2,1,1,0 (mean 1) = (1+0+0+1)/4 = 1/2
    #   KR-20 = 2/1 × (1 − (11/24)/(1/2)) = 2 × (1 − 11/12) = 1/6
    analysis = analyse(questions, attempts)
    assert analysis.random_subsets
    assert analysis.kr20 == pytest.approx(1 / 6)


def test_kr20_counts_partial_credit_as_not_right():
    questions = [multiple("M1"), multiple("M2")]
    # X (full marks only): a1 2, a2 0 (the 0.5 is not full marks), a3 1
    attempts = [
        attempt(1, ("M1", "AB", 1.0, 1), ("M2", "AB", 1.0, 1)),
        attempt(2, ("M1", "A", 0.5, 1), ("M2", "", 0.0, 1)),
        attempt(3, ("M1", "AB", 1.0, 1), ("M2", "C", 0.0, 1)),
    ]
    # p = 2/3, 1/3 → Σpq = 2/9 + 2/9 = 4/9;  X = 2,0,1, mean 1, Var = (1+1+0)/3 = 2/3
    #   KR-20 = 2/1 × (1 − (4/9)/(2/3)) = 2 × (1 − 2/3) = 2/3
    analysis = analyse(questions, attempts)
    assert analysis.kr20 == pytest.approx(2 / 3)
    # The facility keeps the partial credit: (1 + .5 + 1)/3 = 2.5/3
    assert item(analysis, "M1").facility == pytest.approx(2.5 / 3)


def test_kr20_needs_two_questions_and_varying_totals():
    one_question = [attempt(i, ("Q1", "A" if i % 2 else "B", float(i % 2), 1)) for i in range(6)]
    assert analyse([single("Q1")], one_question).kr20 is None
    same_totals = [
        attempt(1, ("Q1", "A", 1.0, 1), ("Q2", "B", 0.0, 1)),
        attempt(2, ("Q1", "B", 0.0, 1), ("Q2", "A", 1.0, 1)),
    ]
    assert analyse([single("Q1"), single("Q2")], same_totals).kr20 is None


def test_kr20_refuses_attempts_of_different_lengths():
    attempts = [
        attempt(1, ("Q1", "A", 1.0, 1), ("Q2", "A", 1.0, 1), ("Q3", "A", 1.0, 1)),
        attempt(2, ("Q1", "B", 0.0, 1), ("Q2", "B", 0.0, 1)),
        attempt(3, ("Q1", "A", 1.0, 1), ("Q2", "B", 0.0, 1)),
    ]
    assert analyse([single("Q1"), single("Q2"), single("Q3")], attempts).kr20 is None


def test_no_attempts():
    analysis = analyse(FIVE_QUESTIONS, [])
    assert analysis.attempts == 0
    assert analysis.mean_percent is None
    assert analysis.score_distribution == (0,) * 10
    assert analysis.kr20 is None
    stats = item(analysis, "Q1")
    assert (stats.n, stats.facility) == (0, None)
    assert stats.discrimination_point_biserial is None
    assert stats.discrimination_upper_lower is None
    assert stats.choice_counts == {"A": 0, "B": 0, "C": 0, "D": 0, "": 0}
    assert stats.choice_shares == {}
    assert stats.flags == (Flag.FEW_RESPONSES,)


def test_attempts_without_questions_are_left_out():
    analysis = analyse(FIVE_QUESTIONS, [*FIVE_ATTEMPTS, attempt(99)])
    assert analysis.attempts == 5
    assert analysis.kr20 == pytest.approx(6 / 13)


def test_every_answer_identical():
    # Ten workers answer alike: Q1 right, Q2 wrong. Nothing varies, so nothing correlates.
    attempts = [attempt(i, ("Q1", "A", 1.0, 1), ("Q2", "C", 0.0, 1)) for i in range(10)]
    analysis = analyse([single("Q1"), single("Q2")], attempts)
    assert analysis.mean_percent == 50
    assert analysis.kr20 is None
    q1, q2 = analysis.items
    assert (q1.facility, q2.facility) == (1.0, 0.0)
    for stats in (q1, q2):
        assert stats.discrimination_point_biserial is None
        assert stats.discrimination_upper_lower is None  # the ranking of equals means nothing
    assert q1.flags == (Flag.TOO_EASY, Flag.FEW_RESPONSES)
    assert q2.flags == (Flag.TOO_HARD, Flag.FEW_RESPONSES)


def test_one_attempt():
    analysis = analyse(FIVE_QUESTIONS, FIVE_ATTEMPTS[:1])
    assert analysis.attempts == 1
    assert analysis.mean_percent == 100
    assert analysis.score_distribution == (0,) * 9 + (1,)
    assert analysis.kr20 is None
    stats = item(analysis, "Q1")
    assert (stats.n, stats.facility) == (1, 1.0)
    assert stats.discrimination_point_biserial is None
    assert stats.discrimination_upper_lower is None


def test_unanswered_questions_count_as_drawn_and_score_nothing():
    attempts = [attempt(1, ("Q1", "", 0.0, 1)), attempt(2, ("Q1", "A", 1.0, 1))]
    stats = item(analyse([single("Q1")], attempts), "Q1")
    assert (stats.n, stats.facility) == (2, 0.5)
    assert stats.choice_counts[""] == 1
    assert stats.choice_shares[""] == 0.5


def test_partial_credit_facility_and_percent():
    questions = [multiple("M", answer=("A", "B", "C"), points=3), single("S")]
    attempts = [
        attempt(1, ("M", "AB", 2.0, 3), ("S", "A", 1.0, 1)),  # 3 of 4 points → 75%
        attempt(2, ("M", "ABD", 1.0, 3), ("S", "B", 0.0, 1)),  # 1 of 4 → 25%
    ]
    analysis = analyse(questions, attempts)
    # M: (2/3 + 1/3) / 2 = 0.5
    assert item(analysis, "M").facility == pytest.approx(0.5)
    assert analysis.mean_percent == 50
    assert analysis.score_distribution == (0, 0, 1, 0, 0, 0, 0, 1, 0, 0)


def test_a_question_drawn_alone_has_no_rest_to_correlate_with():
    # Each attempt drew only Q1: there is no rest, so no point-biserial.
    attempts = [attempt(i, ("Q1", "A" if i % 2 else "B", float(i % 2), 1)) for i in range(10)]
    assert item(analyse([single("Q1")], attempts), "Q1").discrimination_point_biserial is None


def test_answers_to_questions_outside_the_bank_version_are_refused():
    with pytest.raises(ValueError, match="'Q9'"):
        analyse(FIVE_QUESTIONS, [attempt(1, ("Q9", "A", 1.0, 1))])


def test_answers_without_points_are_refused():
    with pytest.raises(ValueError, match="at least 1"):
        analyse(FIVE_QUESTIONS, [attempt(1, ("Q1", "A", 0.0, 0))])


def test_too_easy_at_95_percent():
    # 19 of 20 right = 0.95, the threshold itself
    attempts = ranked_attempts([0] + [1] * 19)
    assert Flag.TOO_EASY in item(analyse([FILLER, single("Q")], attempts), "Q").flags
    # 18 of 20 = 0.90
    attempts = ranked_attempts([0, 0] + [1] * 18)
    assert Flag.TOO_EASY not in item(analyse([FILLER, single("Q")], attempts), "Q").flags


def test_too_hard_at_30_percent():
    # 6 of 20 right = 0.30, the threshold itself
    attempts = ranked_attempts([0] * 14 + [1] * 6)
    assert Flag.TOO_HARD in item(analyse([FILLER, single("Q")], attempts), "Q").flags
    # 7 of 20 = 0.35
    attempts = ranked_attempts([0] * 13 + [1] * 7)
    assert Flag.TOO_HARD not in item(analyse([FILLER, single("Q")], attempts), "Q").flags


def test_negative_discrimination_when_strong_workers_get_it_wrong():
    # The weaker half gets Q right, the stronger half wrong: a key that is probably wrong.
    attempts = ranked_attempts([1] * 10 + [0] * 10, selected=["A"] * 10 + list("BCDBCDBCDB"))
    stats = item(analyse([FILLER, single("Q")], attempts), "Q")
    assert stats.discrimination_point_biserial < 0
    assert stats.discrimination_upper_lower == -1.0  # lower 5 all right, upper 5 all wrong
    assert stats.flags == (Flag.NEGATIVE_DISCRIMINATION,)


def test_negative_upper_lower_alone_is_enough():
    # Lower 5 (attempts 0–4): 1,1,0,0,0 → .4; upper 5 (15–19): 0,0,1,0,0 → .2; index −.2.
    # The middle is chosen so the correlation over all 20 stays positive.
    scores = [1, 1, 0, 0, 0] + [0, 0, 0, 0, 0, 1, 1, 1, 1, 1] + [0, 0, 1, 0, 0]
    stats = item(analyse([FILLER, single("Q")], ranked_attempts(scores)), "Q")
    assert stats.discrimination_upper_lower == pytest.approx(-0.2)
    assert stats.discrimination_point_biserial > 0
    assert Flag.NEGATIVE_DISCRIMINATION in stats.flags


def test_low_discrimination_when_strong_and_weak_do_alike():
    # Q2 of the five-worker quiz has a point-biserial of exactly 0 (worked out above).
    stats = item(analyse(FIVE_QUESTIONS, FIVE_ATTEMPTS), "Q2")
    assert stats.flags == (Flag.LOW_DISCRIMINATION, Flag.FEW_RESPONSES)


def test_a_discriminating_question_is_not_flagged():
    attempts = ranked_attempts([0] * 10 + [1] * 10, selected=list("BCDBCDBCDB") + ["A"] * 10)
    assert item(analyse([FILLER, single("Q")], attempts), "Q").flags == ()


def test_unused_distractor_needs_twenty_answers():
    # Nobody picks D, a wrong choice.
    selected = list("BCBCBCBCBC") + ["A"] * 10
    attempts = ranked_attempts([0] * 10 + [1] * 10, selected=selected)
    assert item(analyse([FILLER, single("Q")], attempts), "Q").flags == (Flag.UNUSED_DISTRACTOR,)
    # With 19 answers an unpicked choice may be chance.
    stats = item(analyse([FILLER, single("Q")], attempts[1:]), "Q")
    assert Flag.UNUSED_DISTRACTOR not in stats.flags
    assert Flag.FEW_RESPONSES in stats.flags


def test_unused_distractor_on_a_true_false_question():
    # Key T; nobody answers F (everyone right or blank).
    scores = [0] * 5 + [1] * 15
    selected = [""] * 5 + ["T"] * 15
    attempts = ranked_attempts(scores, selected=selected)
    stats = item(analyse([FILLER, true_false("Q")], attempts), "Q")
    assert Flag.UNUSED_DISTRACTOR in stats.flags


def test_few_responses_below_twenty():
    attempts = ranked_attempts([0] * 10 + [1] * 10, selected=list("BCDBCDBCDB") + ["A"] * 10)
    assert Flag.FEW_RESPONSES not in item(analyse([FILLER, single("Q")], attempts), "Q").flags
    assert Flag.FEW_RESPONSES in item(analyse([FILLER, single("Q")], attempts[:19]), "Q").flags


def test_every_flag_has_a_plain_sentence():
    for flag in Flag:
        assert describe(flag).endswith(".")
    assert "check the key" in describe(Flag.NEGATIVE_DISCRIMINATION)
    assert "nobody picks" in describe(Flag.UNUSED_DISTRACTOR)


def test_weak_topics_per_crew_weakest_first():
    questions = [
        single("E1", tags=("electricity", "ppe")),
        single("E2", tags=("electricity",)),
        true_false("H1", tags=("heights",)),
        single("X"),  # no tag, in no topic
    ]
    north = [
        attempt(1, ("E1", "A", 1.0, 1), ("E2", "B", 0.0, 1), ("H1", "T", 1.0, 1)),
        attempt(2, ("E1", "B", 0.0, 1), ("E2", "B", 0.0, 1), ("X", "A", 1.0, 1)),
    ]
    south = [attempt(3, ("E1", "A", 1.0, 1), ("H1", "F", 0.0, 1))]
    topics = weak_topics(questions, {"north": north, "south": south, "east": []})
    # north: electricity = (E1 1 + E2 0 + E1 0 + E2 0) / 4 = .25; ppe = (1 + 0)/2 = .5;
    #        heights = 1/1
    assert topics["north"] == [
        TopicStat("electricity", 4, 0.25),
        TopicStat("ppe", 2, 0.5),
        TopicStat("heights", 1, 1.0),
    ]
    # south: heights 0/1 before electricity and ppe at 1/1 (ties by tag)
    assert topics["south"] == [
        TopicStat("heights", 1, 0.0),
        TopicStat("electricity", 1, 1.0),
        TopicStat("ppe", 1, 1.0),
    ]
    assert topics["east"] == []


def test_weak_topics_refuse_unknown_questions():
    with pytest.raises(ValueError, match="'Q9'"):
        weak_topics(FIVE_QUESTIONS, {"north": [attempt(1, ("Q9", "A", 1.0, 1))]})


def test_item_table_rows_for_csv():
    analysis = analyse(FIVE_QUESTIONS, FIVE_ATTEMPTS)
    q1, q2, q3 = item_table_rows(analysis, FIVE_QUESTIONS)
    no_letters = {"E": "", "F": "", "G": "", "H": "", "true": "", "false": ""}
    # Q1: shares A 3/5, B 1/5, C 1/5, D 0/5; r = .5/√.6 = 0.6455 → 0.645
    assert q1 == {
        "question_id": "Q1",
        "n": 5,
        "facility": 0.6,
        "discrimination": 0.645,
        "upper_lower": "",
        "flags": "few_responses",
        "A": 0.6,
        "B": 0.2,
        "C": 0.2,
        "D": 0.0,
        **no_letters,
    }
    assert q2["flags"] == "low_discrimination;few_responses"
    # Q3 is true/false: no letter columns; true and false 2/5 each; r = .3/√.84 = 0.3273 → 0.327
    assert q3 == {
        "question_id": "Q3",
        "n": 5,
        "facility": 0.4,
        "discrimination": 0.327,
        "upper_lower": "",
        "flags": "few_responses",
        **dict.fromkeys("ABCDEFGH", ""),
        "true": 0.4,
        "false": 0.4,
    }


def test_item_table_rows_write_as_csv():
    analysis = analyse(FIVE_QUESTIONS, [])
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=ITEM_TABLE_COLUMNS)
    writer.writeheader()
    writer.writerows(item_table_rows(analysis, FIVE_QUESTIONS))
    lines = buffer.getvalue().splitlines()
    assert lines[0] == (
        "question_id,n,facility,discrimination,upper_lower,flags,A,B,C,D,E,F,G,H,true,false"
    )
    assert lines[1] == "Q1,0,,,,few_responses,,,,,,,,,,"
