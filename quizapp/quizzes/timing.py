"""The server's clock rules for timed attempts: deadlines, grace and the offline window."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class TimingRules:
    """How lenient the server is with answers that arrive after the deadline."""

    #: Answers arriving this long after the deadline still count: requests in flight.
    grace: timedelta
    #: Answers the phone recorded before the deadline count if they arrive within this long
    #: after it; unattended attempts are finalised once it has passed.
    offline_window: timedelta

    @property
    def finalise_after(self) -> timedelta:
        """How long after the deadline nothing more can arrive that would count."""
        return max(self.grace, self.offline_window)


class Verdict(StrEnum):
    """Whether an answer arriving now counts."""

    ACCEPTED = "accepted"
    TOO_LATE = "too_late"


def deadline_for(
    started_at: datetime, time_limit_seconds: int | None, multiplier: float = 1.0
) -> datetime | None:
    """The deadline of an attempt started at `started_at`; None for an untimed quiz.

    Extra time is a multiplier on the limit, rounded up to a whole second.
    """
    if time_limit_seconds is None:
        return None
    return started_at + timedelta(seconds=math.ceil(time_limit_seconds * multiplier))


def seconds_left(deadline: datetime | None, now: datetime) -> int | None:
    """Whole seconds until `deadline`, never negative; None when untimed."""
    if deadline is None:
        return None
    return max(0, math.floor((deadline - now).total_seconds()))


def answer_verdict(
    deadline: datetime | None,
    now: datetime,
    rules: TimingRules,
    *,
    seconds_left_when_recorded: float | None = None,
) -> Verdict:
    """Whether an answer arriving at `now` counts.

    Up to deadline + grace every answer counts. After that, only one the phone says it
    recorded while time was left (its countdown, which runs from the seconds the server
    gave, not from the phone's wall clock) and only until deadline + offline window.
    """
    if deadline is None or now <= deadline + rules.grace:
        return Verdict.ACCEPTED
    recorded_in_time = seconds_left_when_recorded is not None and seconds_left_when_recorded > 0
    if recorded_in_time and now <= deadline + rules.offline_window:
        return Verdict.ACCEPTED
    return Verdict.TOO_LATE


def is_due_for_finalisation(deadline: datetime | None, now: datetime, rules: TimingRules) -> bool:
    """Whether an unsubmitted attempt must now be submitted on its owner's behalf."""
    return deadline is not None and now > deadline + rules.finalise_after
