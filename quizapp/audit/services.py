"""Writing to the audit log, in the same transaction as the change it records."""

from __future__ import annotations

from typing import Any

from quizapp.audit.models import AuditEntry
from quizapp.auth.models import User
from quizapp.extensions import db


def record(actor: User | None, action: str, target: str, **details: Any) -> AuditEntry:
    """Add an entry; it is committed (or rolled back) together with the change itself."""
    entry = AuditEntry(
        actor_id=actor.id if actor is not None else None,
        action=action,
        target=target[:200],
        details=details,
    )
    db.session.add(entry)
    return entry
