"""Where a person stands with a quiz, derived from their attempts (never stored)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class Status(StrEnum):
    """A person's standing with one quiz."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    PASSED = "passed"
    FAILED = "failed"  # attempts are left
    NO_ATTEMPTS_LEFT = "no_attempts_left"
    EXPIRED = "expired"  # passed once, but the pass is no longer valid


@dataclass(frozen=True, slots=True)
class AttemptSummary:
    """What the status needs to know of one attempt."""

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


def standing(
    attempts: Sequence[AttemptSummary],
    *,
    max_attempts: int | None,
    valid_for_days: int | None,
    now: datetime,
) -> Standing:
    """Derive a person's standing from their attempts at one quiz.

    A pass is valid for `valid_for_days` from its submission (forever when None); the
    latest pass counts. Attempts left count every attempt, passed or not.
    """
    used = len(attempts)
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
    elif not attempts:
        status = Status.NOT_STARTED
    elif left == 0:
        status = Status.NO_ATTEMPTS_LEFT
    else:
        status = Status.FAILED
    return Standing(status, used, left, best, valid_until)
