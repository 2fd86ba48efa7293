"""Operations on people; they flush and leave the commit to the caller."""

from __future__ import annotations

import secrets

from sqlalchemy import select

from quizapp.auth.models import Role, User
from quizapp.crews.services import find_or_create_crew
from quizapp.extensions import db

MIN_PASSWORD_LENGTH = 8


class UserError(ValueError):
    """A request about a person that cannot be carried out."""


def create_user(
    employee_no: str,
    name: str,
    role: Role | str = Role.WORKER,
    *,
    password: str | None = None,
    crew_name: str | None = None,
    site_name: str | None = None,
) -> tuple[User, str]:
    """Create a person and return them with their password (a random one when none is given)."""
    employee_no = employee_no.strip()
    if not employee_no or len(employee_no) > 32:
        raise UserError("an employee number has 1 to 32 characters")
    if not name.strip():
        raise UserError("a person needs a name")
    try:
        role = Role(role)
    except ValueError:
        raise UserError(f"role must be one of {', '.join(Role)}") from None
    if find_user(employee_no) is not None:
        raise UserError(f"employee number {employee_no} is taken")
    if password is None:
        password = secrets.token_urlsafe(9)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"a password has at least {MIN_PASSWORD_LENGTH} characters")
    if site_name and not crew_name:
        raise UserError("a site is given through the person's crew: name the crew too")
    user = User(employee_no=employee_no, name=name.strip(), role=role)
    user.set_password(password)
    if crew_name:
        user.crew = find_or_create_crew(crew_name, site_name)
    db.session.add(user)
    db.session.flush()
    return user, password


def find_user(employee_no: str) -> User | None:
    """The person with this employee number, if any."""
    return db.session.scalar(select(User).where(User.employee_no == employee_no.strip()))


def authenticate(employee_no: str, password: str) -> User | None:
    """The active person whose employee number and password these are, or None.

    A password hash made by an older method is replaced while the password is at hand;
    the caller commits.
    """
    user = find_user(employee_no)
    if user is None or not user.active or not user.check_password(password):
        return None
    if user.password_outdated:
        user.set_password(password)
    return user
