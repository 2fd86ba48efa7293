"""People who sign in, and what each of them may do."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from threading import BoundedSemaphore

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import Boolean, Column, Float, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from quizapp.crews.models import Crew, Site
from quizapp.database import UTCDateTime, utcnow
from quizapp.extensions import db

#: How passwords are hashed unless PASSWORD_HASH_METHOD says otherwise: scrypt with N = 2^13,
#: r = 8, p = 10, the setting of OWASP's Password Storage Cheat Sheet that needs least memory,
#: 8 MiB per hash (Werkzeug's default, N = 2^15 with p = 1, holds 32 MiB for a quarter of the
#: work). Hashes made with other settings still verify, and are replaced at the next sign-in.
PASSWORD_METHOD = "scrypt:8192:8:10"  # noqa: S105 — a method name, not a password

#: Password hashes computed at once in this process. A server thread per request would
#: otherwise let a burst of sign-ins hold a hash's memory each (bench/README.md, memory).
#: Two keep both cores of a small machine busy.
PASSWORD_HASHING = BoundedSemaphore(2)


def password_method() -> str:
    """The hashing method of new password hashes, as Werkzeug names it."""
    return current_app.config.get("PASSWORD_HASH_METHOD") or PASSWORD_METHOD


def hash_password(password: str) -> str:
    """A salted hash of `password` by `password_method()`."""
    with PASSWORD_HASHING:
        return generate_password_hash(password, method=password_method())


#: The sites a manager is responsible for; a manager sees reports of these sites only.
manager_site = Table(
    "manager_site",
    db.metadata,
    Column("user_id", ForeignKey("app_user.id"), primary_key=True),
    Column("site_id", ForeignKey("site.id"), primary_key=True),
)


class Role(StrEnum):
    """What a person does in the company, which decides what they may see and change."""

    WORKER = "worker"
    OFFICER = "officer"
    MANAGER = "manager"
    ADMIN = "admin"


class User(UserMixin, db.Model):
    """A worker, safety officer, manager or administrator, known by employee number."""

    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Printed on badges and login cards; workers often have no e-mail address.
    employee_no: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default=Role.WORKER)
    crew_id: Mapped[int | None] = mapped_column(ForeignKey("crew.id"), index=True)
    #: Deactivated people cannot sign in; their history stays.
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Extra time for this person, applied to the time limit when an attempt starts.
    time_multiplier: Mapped[float] = mapped_column(Float, default=1.0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    crew: Mapped[Crew | None] = relationship()
    #: For managers: the sites whose reports they may see (admins see every site).
    managed_sites: Mapped[list[Site]] = relationship(secondary=manager_site, order_by="Site.name")

    def set_password(self, password: str) -> None:
        """Store a salted hash of `password`, never the password itself."""
        self.password_hash = hash_password(password)

    def check_password(self, password: str) -> bool:
        """Whether `password` is this person's password."""
        with PASSWORD_HASHING:
            return check_password_hash(self.password_hash, password)

    @property
    def password_outdated(self) -> bool:
        """Whether the stored hash was made by another method than new ones are."""
        return not self.password_hash.startswith(password_method() + "$")

    @property
    def is_active(self) -> bool:
        """Flask-Login refuses sessions of deactivated people."""
        return self.active

    def has_role(self, *roles: Role) -> bool:
        """Whether this person has one of `roles`."""
        return self.role in roles

    def __repr__(self) -> str:
        return f"<User {self.employee_no} {self.role}>"


class LoginCard(db.Model):
    """A printed card whose QR code signs a worker in; only a hash of its token is kept."""

    __tablename__ = "login_card"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    #: SHA-256 of the random token printed in the QR code.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: A lost card is revoked; re-issuing revokes the previous card.
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class EndedSession(db.Model):
    """A signed-in session that was signed out: its cookie, wherever it was copied, is dead.

    Sessions are signed cookies the server keeps no list of, so sign-out alone would only
    forget the cookie in the browser that pressed it. Each session carries a random id
    (quizapp.auth.sessions); signing out records it here until the session's absolute limit
    would have ended it anyway, after which the row is of no use and is deleted.
    """

    __tablename__ = "ended_session"

    #: The random id the session carried.
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    #: When the session's absolute limit runs out; the row may go after that.
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
