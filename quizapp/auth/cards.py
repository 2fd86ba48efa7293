"""Login cards: a printed QR code that signs a worker in.

Only a SHA-256 hash of each card's random token is stored, so the plain token exists in the
printed QR code alone; a stolen database cannot be turned into working cards. Issuing hands the
token back exactly once, for printing. Operations flush and leave the commit to the caller.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from flask import url_for
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import select

from quizapp.audit.services import record
from quizapp.auth.models import LoginCard, Role, User
from quizapp.crews.models import Crew
from quizapp.database import utcnow
from quizapp.extensions import db

#: Card scans (page views and sign-ins together) allowed per client address, unless the
#: CARD_LIMIT_PER_ADDRESS setting says otherwise. A site office shares one address, and a whole
#: crew may sign in at the start of a shift; the tokens themselves cannot be guessed.
DEFAULT_LIMIT_PER_ADDRESS = "60 per minute"
#: Longest token accepted from a URL; ours are 43 characters.
MAX_TOKEN_LENGTH = 100

_STYLE_ATTRIBUTE = re.compile(r"\sstyle=(\"[^\"]*\"|'[^']*')")


class CardError(ValueError):
    """A card that cannot be issued as asked."""


@dataclass(frozen=True)
class CardState:
    """Where a person's newest login card stands: "none", "issued" or "revoked", and since when."""

    state: str
    at: datetime | None = None


def new_token() -> str:
    """A fresh random card token (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """The SHA-256 hex digest under which a card token is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def user_for_token(token: str) -> User | None:
    """The active worker a card token signs in, or None for an unknown, revoked or stale card.

    Cards are for workers only: a holder since made an officer, manager or admin (by the
    roster import, say) must sign in with a password, so their old card stops working.
    """
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    user = db.session.scalar(
        select(User)
        .join(LoginCard, LoginCard.user_id == User.id)
        .where(LoginCard.token_hash == hash_token(token), LoginCard.revoked_at.is_(None))
    )
    if user is None or not user.active or user.role != Role.WORKER:
        return None
    return user


def issue_card(user: User, *, by: User | None) -> str:
    """Give `user` a new card, revoking any card they had, and return its token (once)."""
    if not user.active:
        raise CardError("a deactivated person's card would not work; reactivate them first")
    _lock([user.id])
    reissued = _revoke_valid_cards([user.id], utcnow()) > 0
    token = _add_card(user)
    record(by, "card.issue", _describe(user), reissued=reissued)
    return token


def revoke_card(user: User, *, by: User | None) -> bool:
    """Make `user`'s card stop working; False when they had no working card."""
    _lock([user.id])
    revoked = _revoke_valid_cards([user.id], utcnow()) > 0
    if revoked:
        record(by, "card.revoke", _describe(user))
    return revoked


def issue_crew_cards(
    crew: Crew, *, reissue_all: bool = False, by: User | None
) -> list[tuple[User, str]]:
    """Issue cards to the crew's active workers who have no working card (or to all of them,
    revoking their cards, when `reissue_all`), and return each with its token, for printing."""
    workers = db.session.scalars(
        select(User)
        .where(User.crew_id == crew.id, User.role == Role.WORKER, User.active.is_(True))
        .order_by(User.name, User.employee_no)
        .with_for_update()
    ).all()
    holding = _holders_of_valid_cards([w.id for w in workers])
    chosen = [w for w in workers if reissue_all or w.id not in holding]
    if not chosen:
        return []
    _revoke_valid_cards([w.id for w in chosen], utcnow())
    issued = [(worker, _add_card(worker)) for worker in chosen]
    record(
        by,
        "card.print",
        f"crew {crew.name}",
        reissue_all=reissue_all,
        issued=[worker.employee_no for worker in chosen],
        reissued=sum(1 for worker in chosen if worker.id in holding),
    )
    return issued


def card_states(users: Iterable[User]) -> dict[int, CardState]:
    """Each person's newest card state, by user id ("none" for people who never had one)."""
    ids = [user.id for user in users]
    states = dict.fromkeys(ids, CardState("none"))
    if not ids:
        return states
    cards = db.session.scalars(
        select(LoginCard).where(LoginCard.user_id.in_(ids)).order_by(LoginCard.id)
    )
    for card in cards:
        if card.revoked_at is None:
            states[card.user_id] = CardState("issued", card.created_at)
        else:
            states[card.user_id] = CardState("revoked", card.revoked_at)
    return states


def card_url(token: str) -> str:
    """The absolute address a card's QR code holds."""
    return url_for("auth.card", token=token, _external=True)


def qr_svg(data: str) -> Markup:
    """`data` as a QR code in an inline SVG element, sized by CSS, with no style attributes.

    The page's Content-Security-Policy refuses inline styles, so none may slip in. segno is
    imported here, where cards are printed, not by every server process.
    """
    import segno

    svg = segno.make(data, error="m").svg_inline(
        scale=1, omitsize=True, svgclass="qr", lineclass="qr-line", title=_("Login QR code")
    )
    return Markup(_STYLE_ATTRIBUTE.sub("", svg))  # noqa: S704 — segno's own markup, escaped by it


def _describe(user: User) -> str:
    return f"worker {user.employee_no} {user.name}"


def _lock(user_ids: Sequence[int]) -> None:
    """Lock the people's rows so two officers issuing at once cannot leave two working cards."""
    db.session.scalars(select(User.id).where(User.id.in_(user_ids)).with_for_update()).all()


def _holders_of_valid_cards(user_ids: Sequence[int]) -> set[int]:
    if not user_ids:
        return set()
    return set(
        db.session.scalars(
            select(LoginCard.user_id).where(
                LoginCard.user_id.in_(user_ids), LoginCard.revoked_at.is_(None)
            )
        )
    )


def _revoke_valid_cards(user_ids: Sequence[int], now: datetime) -> int:
    cards = db.session.scalars(
        select(LoginCard).where(LoginCard.user_id.in_(user_ids), LoginCard.revoked_at.is_(None))
    ).all()
    for card in cards:
        card.revoked_at = now
    db.session.flush()
    return len(cards)


def _add_card(user: User) -> str:
    token = new_token()
    db.session.add(LoginCard(user_id=user.id, token_hash=hash_token(token)))
    db.session.flush()
    return token
