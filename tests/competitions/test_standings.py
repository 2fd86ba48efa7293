"""The leaderboard formula, checked against examples worked out by hand."""

from fractions import Fraction

from quizapp.competitions.standings import CrewTally, accuracy, participation, rank, score


def tally(name, workers, participants, bests=(), attempts=None, crew_id=None):
    """A crew's figures; `bests` are the best percents of its (participant, bank) pairs."""
    return CrewTally(
        crew_id=crew_id or abs(hash(name)) % 10_000,
        crew_name=name,
        site_name=None,
        workers=workers,
        participants=participants,
        pairs=len(bests),
        best_hundredths=sum(round(b * 100) for b in bests),
        attempts=len(bests) if attempts is None else attempts,
    )


def test_score_is_half_participation_and_half_accuracy():
    # 3 of 4 workers took part; best scores 100, 80, 90, 70 → accuracy 85%.
    steel = tally("钢筋班", 4, 3, (100, 80, 90, 70))
    assert participation(steel) == Fraction(3, 4)
    assert accuracy(steel) == Fraction(85, 100)
    assert score(steel) == Fraction(80)  # 50 × 0.75 + 50 × 0.85 = 37.5 + 42.5


def test_a_crew_where_nobody_took_part_scores_zero():
    idle = tally("木工班", 5, 0)
    assert (participation(idle), accuracy(idle), score(idle)) == (0, 0, 0)


def test_accuracy_keeps_hundredths_of_a_percent():
    crew = tally("电工班", 1, 1, (66.67,))
    assert accuracy(crew) == Fraction(6667, 10_000)
    assert score(crew) == 50 + Fraction(6667, 200)


def test_crews_are_ranked_by_score():
    board = rank(
        [
            tally("A班", 4, 3, (100, 80, 90, 70)),  # 80
            tally("B班", 2, 2, (60, 70)),  # 50 × 1 + 50 × 0.65 = 82.5
            tally("C班", 5, 0),  # 0
        ]
    )
    assert [(s.rank, s.tally.crew_name, s.score) for s in board] == [
        (1, "B班", Fraction(165, 2)),
        (2, "A班", Fraction(80)),
        (3, "C班", Fraction(0)),
    ]


def test_participation_breaks_a_tie_in_score():
    # Both score exactly 50: 50 × 1/3 + 50 × 2/3 and 50 × 2/3 + 50 × 1/3. In floating point
    # the two sums differ in the last bit; exact fractions leave the tie to participation.
    few_but_strong = tally("强班", 3, 1, (100, 100, 0))
    many_but_weaker = tally("众班", 3, 2, (50, 50, 0))
    assert score(few_but_strong) == score(many_but_weaker) == 50
    board = rank([few_but_strong, many_but_weaker])
    assert [s.tally.crew_name for s in board] == ["众班", "强班"]


def test_more_finished_attempts_then_the_name_break_the_remaining_ties():
    board = rank(
        [
            tally("乙班", 2, 1, (80,), attempts=3),
            tally("甲班", 2, 1, (80,), attempts=3),
            tally("丙班", 2, 1, (80,), attempts=7),
        ]
    )
    assert [s.tally.crew_name for s in board] == ["丙班", "乙班", "甲班"]  # 乙 < 甲 by code point
    assert [s.rank for s in board] == [1, 2, 3]


def test_mean_best_percent_is_shown_only_when_someone_took_part():
    board = rank([tally("A班", 2, 1, (90, 70)), tally("B班", 2, 0)])
    assert board[0].mean_best_percent == 80.0
    assert board[1].mean_best_percent is None
