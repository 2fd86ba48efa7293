"""Officers' changes to workers: each is audited, flushes and leaves the commit to the caller."""

from __future__ import annotations

from quizapp.audit.services import record
from quizapp.auth.models import User
from quizapp.extensions import db

MIN_TIME_MULTIPLIER = 1.0
MAX_TIME_MULTIPLIER = 3.0


class PeopleError(ValueError):
    """A change to a person that cannot be made."""


def set_time_multiplier(worker: User, multiplier: float, *, by: User | None) -> bool:
    """Give `worker` extra time from their next attempt on; False when nothing changed.

    Attempts already running keep the deadline they started with.
    """
    # A chained comparison is False for NaN, so "nan" is refused too.
    if not MIN_TIME_MULTIPLIER <= multiplier <= MAX_TIME_MULTIPLIER:
        raise PeopleError("a time multiplier is from 1 to 3")
    multiplier = round(multiplier, 2)
    previous = worker.time_multiplier
    if previous == multiplier:
        return False
    worker.time_multiplier = multiplier
    record(by, "worker.extra_time", _describe(worker), before=previous, after=multiplier)
    db.session.flush()
    return True


def deactivate(worker: User, *, by: User | None) -> bool:
    """Stop `worker` signing in, ending their sessions; their history stays. False if already."""
    if not worker.active:
        return False
    worker.active = False
    record(by, "worker.deactivate", _describe(worker))
    db.session.flush()
    return True


def reactivate(worker: User, *, by: User | None) -> bool:
    """Let a deactivated worker sign in again (their card too, if it was not revoked)."""
    if worker.active:
        return False
    worker.active = True
    record(by, "worker.reactivate", _describe(worker))
    db.session.flush()
    return True


def _describe(worker: User) -> str:
    return f"worker {worker.employee_no} {worker.name}"
