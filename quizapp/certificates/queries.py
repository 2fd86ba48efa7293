"""Read-only queries behind certificates, their verification and training records."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from quizapp.auth.models import User
from quizapp.banks.models import BankVersion
from quizapp.certificates.models import Certificate
from quizapp.extensions import db
from quizapp.quizzes.models import Attempt

#: Longest code looked up; ours are 16 characters and the column holds 32.
MAX_CODE_LENGTH = 32


def certificate_by_code(code: str) -> Certificate | None:
    """The certificate with this verification code, with its attempt, holder and version."""
    if not code or len(code) > MAX_CODE_LENGTH:
        return None
    return db.session.scalar(
        select(Certificate)
        .where(Certificate.code == code)
        .options(
            joinedload(Certificate.attempt).joinedload(Attempt.user),
            joinedload(Certificate.attempt).joinedload(Attempt.version),
        )
    )


def record_attempts(user: User) -> list[Attempt]:
    """Every attempt of a person, oldest first, with the bank version each one used."""
    return list(
        db.session.scalars(
            select(Attempt)
            .where(Attempt.user_id == user.id)
            .options(selectinload(Attempt.version).selectinload(BankVersion.bank))
            .order_by(Attempt.started_at, Attempt.id)
        )
    )
