"""Where a person stands with a quiz, derived from their attempts (never stored)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class Status(StrEnum):
    """A person's standing with one quiz (or one assignment of it)."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    PASSED = "passed"
    FAILED = "failed"  # attempts are left
    NO_ATTEMPTS_LEFT = "no_attempts_left"
    OVERDUE = "overdue"  # no valid pass and the due date has gone by
    EXPIRED = "expired"  # passed once, but the pass is no longer valid


@dataclass(frozen=True, slots=True)
class AttemptSummary:
    """What the status needs to know of one attempt."""

    started_at: datetime
    submitted_at: datetime | None
    passed: bool | None
    percent: float | None


@dataclass(frozen=True, slots=True)
class Standing:
    """The status, with the figures a worker sees next to it."""

    status: Status
    attempts_used: int
    attempts_left: int | None
    best_percent: float | None
    valid_until: datetime | None
    due_at: datetime | None = None


def current_cycle(
    attempts: Sequence[AttemptSummary], valid_for_days: int | None, now: datetime
) -> list[AttemptSummary]:
    """The attempts that count toward `max_attempts` now.

    A pass that has expired opens a new cycle (a refresher): only attempts started after
    that pass count, so a worker who passed last year can take this year's refresher.
    """
    if valid_for_days is None:
        return list(attempts)
    validity = timedelta(days=valid_for_days)
    expired = [
        a.submitted_at
        for a in attempts
        if a.passed and a.submitted_at is not None and a.submitted_at + validity <= now
    ]
    if not expired:
        return list(attempts)
    cycle_start = max(expired)
    return [a for a in attempts if a.started_at > cycle_start]


def standing(
    attempts: Sequence[AttemptSummary],
    *,
    max_attempts: int | None,
    valid_for_days: int | None,
    now: datetime,
    due_at: datetime | None = None,
) -> Standing:
    """Derive a person's standing from their attempts at one quiz.

    A pass is valid for `valid_for_days` from its submission (forever when None); the
    latest pass counts. Without a valid pass, a due date gone by makes the quiz overdue
    (unless an attempt is running right now); a pass that has lapsed is expired.
    """
    cycle = current_cycle(attempts, valid_for_days, now)
    used = len(cycle)
    left = None if max_attempts is None else max(0, max_attempts - used)
    finished = [a for a in attempts if a.submitted_at is not None]
    best = max((a.percent for a in finished if a.percent is not None), default=None)
    passes = [a.submitted_at for a in finished if a.passed]
    valid_until = None
    if passes and valid_for_days is not None:
        valid_until = max(passes) + timedelta(days=valid_for_days)

    if any(a.submitted_at is None for a in attempts):
        status = Status.IN_PROGRESS
    elif passes and (valid_until is None or now < valid_until):
        status = Status.PASSED
    elif passes:
        status = Status.EXPIRED
    elif due_at is not None and now > due_at:
        status = Status.OVERDUE
    elif not attempts:
        status = Status.NOT_STARTED
    elif left == 0:
        status = Status.NO_ATTEMPTS_LEFT
    else:
        status = Status.FAILED
    return Standing(status, used, left, best, valid_until, due_at)


def summarise(attempt) -> AttemptSummary:
    """The summary of anything with an attempt's fields (an ORM row or a query row)."""
    return AttemptSummary(attempt.started_at, attempt.submitted_at, attempt.passed, attempt.percent)
