"""Item analyses as the officer sees them: stored, reused while current, recomputed on demand.

Functions flush and leave the commit to the caller.
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
from quizapp.database import utcnow
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
    freshly computed one, stored for the next view."""
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
    return _compute(version, latest, now)


def recalculate(version: BankVersion, now: datetime | None = None) -> StoredAnalysis:
    """Compute the version's analysis now and store it, whatever is stored already."""
    return _compute(version, queries.fingerprint(version), now or utcnow())


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


def _compute(version: BankVersion, latest: snapshots.Fingerprint, now: datetime) -> StoredAnalysis:
    """Analyse, then replace the stored snapshot. The fingerprint is taken before reading the
    answers, so an attempt finishing meanwhile makes the snapshot look older, never newer."""
    result = queries.analyse_version(version)
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
        # Another request stored its snapshot of the same version first, or (SQLite, on a
        # page view) another writer holds the lock: either way the result is shown unstored.
        pass
    return StoredAnalysis(result, now, 0)
