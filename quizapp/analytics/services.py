"""Item analyses as the officer sees them: stored, reused while current, recomputed on demand.

Functions flush and leave the last commit to the caller; computing an analysis commits the
transaction before it (see `_compute`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError, OperationalError

from quizapp.analytics import queries, snapshots
from quizapp.analytics.items import VersionAnalysis
from quizapp.analytics.models import ItemAnalysisSnapshot
from quizapp.banks.models import BankVersion
from quizapp.database import expect_writes, reading, utcnow
from quizapp.extensions import db

#: How long a stored analysis is shown after new attempts have finished (seconds); setting
#: ITEM_ANALYSIS_MAX_AGE_SECONDS. 0 recomputes whenever an attempt has finished since.
DEFAULT_MAX_AGE_SECONDS = 15 * 60


@dataclass(frozen=True)
class StoredAnalysis:
    """An analysis, when it was computed, and how many attempts have finished since."""

    result: VersionAnalysis
    computed_at: datetime
    finished_since: int


def max_age() -> timedelta:
    """How long a stored analysis stays in use while attempts keep finishing."""
    seconds = current_app.config.get("ITEM_ANALYSIS_MAX_AGE_SECONDS", DEFAULT_MAX_AGE_SECONDS)
    return timedelta(seconds=seconds)


def current_analysis(version: BankVersion, now: datetime | None = None) -> StoredAnalysis:
    """The version's stored analysis while it is current (`snapshots.is_current`), else a
    freshly computed one, stored for the next view (ending the caller's transaction)."""
    now = now or utcnow()
    latest = queries.fingerprint(version)
    snapshot = _snapshot_of(version)
    if snapshot is not None:
        stored = _fingerprint_of(snapshot)
        result = snapshots.load(snapshot.data)
        if result is not None and snapshots.is_current(
            stored, snapshot.computed_at, latest, now, max_age()
        ):
            return StoredAnalysis(result, snapshot.computed_at, latest.attempts - stored.attempts)
    return _compute(version, now)


def recalculate(version: BankVersion, now: datetime | None = None) -> StoredAnalysis:
    """Compute the version's analysis now and store it, whatever is stored already; like
    every computation, this ends the caller's transaction (see `_compute`)."""
    return _compute(version, now or utcnow())


def stored_fingerprint(version: BankVersion) -> snapshots.Fingerprint | None:
    """What the stored analysis of the version covers; None when there is none."""
    snapshot = _snapshot_of(version)
    return None if snapshot is None else _fingerprint_of(snapshot)


def _fingerprint_of(snapshot: ItemAnalysisSnapshot) -> snapshots.Fingerprint:
    return snapshots.Fingerprint(snapshot.attempts, snapshot.last_submitted_at)


def _snapshot_of(version: BankVersion) -> ItemAnalysisSnapshot | None:
    return db.session.scalar(
        select(ItemAnalysisSnapshot).where(ItemAnalysisSnapshot.bank_version_id == version.id)
    )


def _compute(version: BankVersion, now: datetime) -> StoredAnalysis:
    """Analyse the version, then replace its stored snapshot; ends the caller's transaction.

    Reading every answer takes a while, so it happens in a transaction of its own that takes
    no write lock (on SQLite a writer's lock would hold up every answer saved meanwhile): the
    caller's transaction is committed first, and must hold nothing it does not mean to keep.
    The snapshot is then written in a short transaction that the caller commits. The
    fingerprint is read before the answers, so an attempt finishing in between makes the
    snapshot look older than it is, never newer.
    """
    db.session.commit()
    with reading():
        latest = queries.fingerprint(version)
        result = queries.analyse_version(version)
        db.session.commit()
    expect_writes()
    try:
        with db.session.begin_nested():
            db.session.execute(
                delete(ItemAnalysisSnapshot).where(
                    ItemAnalysisSnapshot.bank_version_id == version.id
                )
            )
            db.session.add(
                ItemAnalysisSnapshot(
                    bank_version_id=version.id,
                    computed_at=now,
                    attempts=latest.attempts,
                    last_submitted_at=latest.last_submitted_at,
                    data=snapshots.dump(result),
                )
            )
    except (IntegrityError, OperationalError):
        # Another request stored its snapshot of the same version first, or the write lock
        # could not be had in time: either way the result is shown, unstored.
        pass
    return StoredAnalysis(result, now, 0)
