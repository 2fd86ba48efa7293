"""Monthly star workers (星级职工): five rules, one star each, from stored attempts only.

For a month M (calendar month in the site's time zone) a worker earns one star for each rule met:

1. UP_TO_DATE — every quiz required of them (an assignment covering their crew or site, due
   by the end of M and not cancelled by then) has a valid pass at the end of M. Met when
   nothing is required.
2. PASSED_IN_MONTH — they passed at least one quiz in M.
3. HIGH_SCORE — their best score in M is at least 90%.
4. FIRST_TRY — for every quiz they finished in M, their first attempt at it in M passed
   (needs at least one quiz finished in M).
5. TWO_QUIZZES — they passed at least two different quizzes in M.

"In M" means submitted within the month. Practice is never stored, so it never counts. For the
month still running, the rules are judged on what has happened so far ("at the end of M" is
then "now"). Pure logic: no Flask, no database.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from enum import StrEnum

#: Rule 3: the best score in the month must reach this percent.
HIGH_SCORE_PERCENT = 90
#: Rule 5: this many different quizzes passed in the month.
DIFFERENT_QUIZZES = 2


@dataclass(frozen=True, order=True, slots=True)
class Month:
    """A calendar month, e.g. Month(2026, 5) for May 2026."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12 or not 2000 <= self.year <= 9998:
            raise ValueError(f"no such month: {self.year}-{self.month}")

    @classmethod
    def parse(cls, text: str) -> Month:
        """Read "YYYY-MM"; ValueError for anything else."""
        year, sep, month = text.partition("-")
        if not sep or len(year) != 4 or len(month) != 2 or not (year + month).isdigit():
            raise ValueError(f"not a month: {text!r}")
        return cls(int(year), int(month))

    @classmethod
    def containing(cls, moment: datetime, zone: tzinfo) -> Month:
        """The month in `zone` that `moment` falls in."""
        local = moment.astimezone(zone)
        return cls(local.year, local.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def previous(self) -> Month:
        """The month before."""
        return Month(self.year - 1, 12) if self.month == 1 else Month(self.year, self.month - 1)

    def next(self) -> Month:
        """The month after."""
        return Month(self.year + 1, 1) if self.month == 12 else Month(self.year, self.month + 1)

    def start(self, zone: tzinfo) -> datetime:
        """Its first moment in `zone`, as UTC."""
        return datetime(self.year, self.month, 1, tzinfo=zone).astimezone(UTC)

    def end(self, zone: tzinfo) -> datetime:
        """The first moment of the next month in `zone`, as UTC (the month ends before it)."""
        following = self.next()
        return datetime(following.year, following.month, 1, tzinfo=zone).astimezone(UTC)


@dataclass(frozen=True, slots=True)
class FinishedAttempt:
    """What the rules need of one submitted attempt."""

    bank_id: int
    started_at: datetime
    submitted_at: datetime
    percent: float
    passed: bool


@dataclass(frozen=True, slots=True)
class Requirement:
    """A quiz required of the worker: one assignment that covers them."""

    bank_id: int
    due_at: datetime
    #: How long a pass counts for this assignment; None: for ever.
    validity_days: int | None


class StarRule(StrEnum):
    """The five rules, in the order they are shown."""

    UP_TO_DATE = "up_to_date"
    PASSED_IN_MONTH = "passed_in_month"
    HIGH_SCORE = "high_score"
    FIRST_TRY = "first_try"
    TWO_QUIZZES = "two_quizzes"


@dataclass(frozen=True, slots=True)
class RuleResult:
    """One rule, whether it is met, and the facts behind the verdict."""

    rule: StarRule
    met: bool
    #: UP_TO_DATE: required quizzes without a valid pass; FIRST_TRY: quizzes whose first
    #: attempt in the month failed; PASSED_IN_MONTH and TWO_QUIZZES: the quizzes passed.
    bank_ids: tuple[int, ...] = ()
    #: HIGH_SCORE: the best percent in the month (None without attempts); PASSED_IN_MONTH and
    #: TWO_QUIZZES: how many different quizzes were passed; FIRST_TRY: quizzes finished;
    #: UP_TO_DATE: how many quizzes were required.
    value: float | None = None


@dataclass(frozen=True, slots=True)
class StarRating:
    """A worker's stars for one month, with every rule's verdict."""

    results: tuple[RuleResult, ...]

    @property
    def stars(self) -> int:
        """0 to 5: one per rule met."""
        return sum(result.met for result in self.results)

    def result(self, rule: StarRule) -> RuleResult:
        """The verdict of one rule."""
        return next(result for result in self.results if result.rule is rule)


def has_valid_pass(
    attempts: Iterable[FinishedAttempt], bank_id: int, validity_days: int | None, at: datetime
) -> bool:
    """Whether a pass at `bank_id` submitted by `at` still counts at `at`."""
    for attempt in attempts:
        if attempt.bank_id != bank_id or not attempt.passed or attempt.submitted_at > at:
            continue
        if validity_days is None or attempt.submitted_at + timedelta(days=validity_days) > at:
            return True
    return False


def rate(
    attempts: Sequence[FinishedAttempt],
    requirements: Sequence[Requirement],
    *,
    start: datetime,
    end: datetime,
    as_of: datetime,
) -> StarRating:
    """Judge the five rules for the month [start, end), on what is known at `as_of`.

    `attempts` are the worker's submitted attempts (any month: earlier passes can still be
    valid); `requirements` the assignments covering them that were in force at the end of the
    month. `as_of` is the month's end for a past month and now for the running one.
    """
    moment = min(as_of, end)
    in_month = sorted(
        (a for a in attempts if start <= a.submitted_at < end and a.submitted_at <= moment),
        key=lambda a: (a.started_at, a.submitted_at),
    )
    passed_banks = tuple(dict.fromkeys(a.bank_id for a in in_month if a.passed))

    required = [r for r in requirements if r.due_at < end]
    missing = tuple(
        dict.fromkeys(
            r.bank_id
            for r in required
            if not has_valid_pass(attempts, r.bank_id, r.validity_days, moment)
        )
    )
    up_to_date = RuleResult(
        StarRule.UP_TO_DATE,
        not missing,
        missing,
        len({r.bank_id for r in required}),
    )

    passed = RuleResult(
        StarRule.PASSED_IN_MONTH, bool(passed_banks), passed_banks, len(passed_banks)
    )

    best = max((a.percent for a in in_month), default=None)
    high = RuleResult(
        StarRule.HIGH_SCORE, best is not None and best >= HIGH_SCORE_PERCENT, (), best
    )

    first_tries: dict[int, FinishedAttempt] = {}
    for attempt in in_month:
        first_tries.setdefault(attempt.bank_id, attempt)
    failed_first = tuple(bank for bank, first in first_tries.items() if not first.passed)
    first_try = RuleResult(
        StarRule.FIRST_TRY, bool(first_tries) and not failed_first, failed_first, len(first_tries)
    )

    breadth = RuleResult(
        StarRule.TWO_QUIZZES,
        len(passed_banks) >= DIFFERENT_QUIZZES,
        passed_banks,
        len(passed_banks),
    )
    return StarRating((up_to_date, passed, high, first_try, breadth))
