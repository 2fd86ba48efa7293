"""Issuing, revoking and checking API tokens; functions flush and leave the commit to the caller.

A token is shown once, when it is issued; only its SHA-256 is stored, so a copy of the
database gives nobody a working token.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import selectinload

from quizapp.api.models import ApiToken
from quizapp.audit.services import record
from quizapp.auth.models import User
from quizapp.crews.models import Site
from quizapp.database import utcnow
from quizapp.extensions import db

#: Tokens start with this, so a leaked one is recognisable (e.g. by secret scanners).
TOKEN_PREFIX = "qzt_"  # noqa: S105 — a public marker, not a secret
#: `last_used_at` is brought up to date at most this often, to keep reads from writing.
TOUCH_INTERVAL = timedelta(minutes=5)


class TokenError(ValueError):
    """A token request that cannot be carried out."""


def hash_token(secret: str) -> str:
    """The SHA-256 of a token, as stored."""
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_token(name: str, sites: Sequence[Site], *, by: User | None) -> tuple[ApiToken, str]:
    """Issue a token for another system, for `sites` (none: every site); return it and its
    secret, which is not kept and cannot be shown again."""
    name = name.strip()
    if not name or len(name) > 100:
        raise TokenError("a token needs a name of 1 to 100 characters")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(name=name, token_hash=hash_token(secret), sites=list(sites), created_by=by)
    db.session.add(token)
    db.session.flush()
    record(
        by,
        "api_token.issue",
        f"api token {token.id}: {name}",
        sites=[site.name for site in sites] or "all",
    )
    return token, secret


def revoke_token(token: ApiToken, *, by: User | None) -> None:
    """Stop the token working; it stays listed as revoked."""
    if token.revoked_at is not None:
        return
    token.revoked_at = utcnow()
    record(by, "api_token.revoke", f"api token {token.id}: {token.name}")
    db.session.flush()


def find_token(secret: str) -> ApiToken | None:
    """The unrevoked token with this secret, with its sites, or None."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    return db.session.scalar(
        select(ApiToken)
        .where(ApiToken.token_hash == hash_token(secret), ApiToken.revoked_at.is_(None))
        .options(selectinload(ApiToken.sites))
    )


def is_due_for_note(token: ApiToken, now: datetime | None = None) -> bool:
    """Whether `last_used_at` is older than TOUCH_INTERVAL (or unset)."""
    now = now or utcnow()
    return token.last_used_at is None or now - token.last_used_at >= TOUCH_INTERVAL


def note_use(token_id: int, now: datetime | None = None) -> None:
    """Record that the token was used now (unless another request just did)."""
    now = now or utcnow()
    db.session.execute(
        update(ApiToken)
        .where(
            ApiToken.id == token_id,
            or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at < now - TOUCH_INTERVAL),
        )
        .values(last_used_at=now)
    )


def all_tokens() -> list[ApiToken]:
    """Every token, newest first, with its sites and issuer."""
    return list(
        db.session.scalars(
            select(ApiToken)
            .options(selectinload(ApiToken.sites), selectinload(ApiToken.created_by))
            .order_by(ApiToken.id.desc())
        )
    )
