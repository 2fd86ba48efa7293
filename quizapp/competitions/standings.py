"""How crews are ranked in a competition: pure arithmetic on figures the database aggregated.

The formula rewards taking part and answering well, never speed::

    participation = participants / active workers                 (0 … 1)
    accuracy      = mean best percent / 100                         (0 … 1)
    score         = 50 × participation + 50 × accuracy              (0 … 100)

* active workers: the crew's people with the worker role who are not deactivated;
* participants: those of them with at least one finished attempt, submitted within the
  competition's period, at one of its banks;
* mean best percent: for every (participant, bank) pair, the participant's best percent on
  that bank among those attempts; the mean over all the crew's pairs (0 when nobody took part).

Ties are broken, in this order, by higher participation, higher accuracy, more finished
attempts and finally the crew's name, so every crew has a rank of its own and the order is the
same on every screen. Everything is computed with exact fractions: two crews whose scores are
equal on paper are equal here too, and the tie-break decides, not rounding noise.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

PARTICIPATION_WEIGHT = 50
ACCURACY_WEIGHT = 50


@dataclass(frozen=True, slots=True)
class CrewTally:
    """A crew's raw figures for one competition, as the database counted them."""

    crew_id: int
    crew_name: str
    site_name: str | None
    #: Active workers in the crew.
    workers: int
    #: Active workers with at least one finished attempt in the period at the competition's banks.
    participants: int
    #: (participant, bank) pairs with a finished attempt.
    pairs: int
    #: Sum over those pairs of the best percent, in hundredths of a percent (percent × 100).
    best_hundredths: int
    #: Finished attempts in the period at the competition's banks.
    attempts: int


@dataclass(frozen=True, slots=True)
class CrewStanding:
    """A crew's place on the leaderboard and the figures that earned it."""

    rank: int
    tally: CrewTally
    participation: Fraction
    accuracy: Fraction
    score: Fraction

    @property
    def mean_best_percent(self) -> float | None:
        """The mean best percent, for display; None when nobody took part."""
        return float(self.accuracy * 100) if self.tally.pairs else None


def participation(tally: CrewTally) -> Fraction:
    """Share of the crew's active workers who took part; 0 for a crew without workers."""
    if tally.workers <= 0:
        return Fraction(0)
    return Fraction(min(tally.participants, tally.workers), tally.workers)


def accuracy(tally: CrewTally) -> Fraction:
    """Mean best percent over the crew's (participant, bank) pairs, as a share of 100%."""
    if tally.pairs <= 0:
        return Fraction(0)
    return Fraction(tally.best_hundredths, tally.pairs * 100 * 100)


def score(tally: CrewTally) -> Fraction:
    """50 × participation + 50 × accuracy: 0 to 100 points."""
    return PARTICIPATION_WEIGHT * participation(tally) + ACCURACY_WEIGHT * accuracy(tally)


def rank(tallies: Iterable[CrewTally]) -> list[CrewStanding]:
    """The leaderboard: best score first, ties broken as the module docstring says."""
    scored = [(t, participation(t), accuracy(t), score(t)) for t in tallies]
    scored.sort(key=_order)
    return [
        CrewStanding(position, tally, part, acc, total)
        for position, (tally, part, acc, total) in enumerate(scored, 1)
    ]


def _order(item: tuple[CrewTally, Fraction, Fraction, Fraction]) -> tuple:
    """Score, participation, accuracy and attempts, highest first; then the name."""
    tally, part, acc, total = item
    return (-total, -part, -acc, -tally.attempts, tally.crew_name)
