"""Issuing certificates; functions flush and leave the commit to the caller."""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from quizapp.certificates.models import Certificate
from quizapp.extensions import db
from quizapp.quizzes.models import Attempt


class CertificateError(ValueError):
    """A certificate that cannot be issued."""


def new_code() -> str:
    """A fresh verification code: 96 random bits, 16 URL-safe characters."""
    return secrets.token_urlsafe(12)


def find_certificate_of(attempt: Attempt) -> Certificate | None:
    """The certificate already issued for an attempt, if any."""
    return db.session.scalar(select(Certificate).where(Certificate.attempt_id == attempt.id))


def certificate_for(attempt: Attempt) -> Certificate:
    """The attempt's certificate, issued now if this is the first time it is asked for.

    Only a passed attempt has one. Two requests at once issue one certificate: the attempt id
    is unique, so the slower insert fails and that request takes the one that won.
    """
    if not attempt.is_final or not attempt.passed:
        raise CertificateError("only a passed attempt has a certificate")
    existing = find_certificate_of(attempt)
    if existing is not None:
        return existing
    certificate = Certificate(attempt=attempt, code=new_code())
    try:
        with db.session.begin_nested():
            db.session.add(certificate)
    except IntegrityError:
        # The savepoint's rollback has already put the failed certificate out of the session.
        winner = find_certificate_of(attempt)
        if winner is None:
            raise
        return winner
    return certificate
