"""From stored attempts to what certificates, records and the verification page show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from quizapp.assignments.queries import assignment_for
from quizapp.auth.models import User
from quizapp.certificates.documents import CertificateData, RecordData, RecordLine
from quizapp.certificates.models import Certificate
from quizapp.quizzes.models import Attempt


def valid_until(attempt: Attempt) -> datetime | None:
    """When the attempt's pass stops counting: by the refresher interval of the assignment
    asking the quiz of its holder, as their quiz list and the reports count it, else by the
    `valid_for_days` of the bank version it used; None for a pass that never expires (or an
    attempt that did not pass)."""
    if not attempt.passed or attempt.submitted_at is None:
        return None
    assignment = assignment_for(attempt.user, attempt.bank)
    if assignment is not None:
        days = assignment.validity_days
    else:
        days = attempt.content.quiz.valid_for_days
    return None if days is None else attempt.submitted_at + timedelta(days=days)


def local_day(moment: datetime | None, zone: tzinfo) -> date | None:
    """The calendar day of `moment` in `zone`."""
    return None if moment is None else moment.astimezone(zone).date()


def mask_name(name: str) -> str:
    """A name as the public verification page shows it: the first character, then "*"."""
    name = name.strip()
    return name[0] + "*" if len(name) > 1 else "*"


def certificate_data(
    certificate: Certificate, verify_url: str, zone: tzinfo, today: date
) -> CertificateData:
    """What the PDF of a certificate states."""
    attempt = certificate.attempt
    holder = attempt.user
    crew = holder.crew
    return CertificateData(
        holder_name=holder.name,
        employee_no=holder.employee_no,
        crew=crew.name if crew else None,
        site=crew.site.name if crew and crew.site else None,
        bank_title=attempt.version.title,
        version=attempt.version.number,
        percent=attempt.percent or 0.0,
        passed_on=local_day(attempt.submitted_at, zone),
        valid_until=local_day(valid_until(attempt), zone),
        code=certificate.code,
        verify_url=verify_url,
        issued_on=local_day(certificate.issued_at, zone) or today,
    )


def record_data(user: User, attempts: list[Attempt], zone: tzinfo, today: date) -> RecordData:
    """What the PDF of a training record lists: every attempt, oldest first."""
    crew = user.crew
    lines = tuple(
        RecordLine(
            taken_on=local_day(attempt.submitted_at or attempt.started_at, zone),
            bank_title=attempt.version.title,
            version=attempt.version.number,
            percent=attempt.percent if attempt.is_final else None,
            passed=attempt.passed if attempt.is_final else None,
            valid_until=local_day(valid_until(attempt), zone),
        )
        for attempt in attempts
    )
    return RecordData(
        holder_name=user.name,
        employee_no=user.employee_no,
        crew=crew.name if crew else None,
        site=crew.site.name if crew and crew.site else None,
        printed_on=today,
        lines=lines,
    )


@dataclass(frozen=True)
class Verification:
    """What the public verification page tells anyone who scans a certificate."""

    masked_name: str
    bank_title: str
    version: int
    passed_at: datetime
    valid_until: datetime | None
    valid: bool


def verification(certificate: Certificate, now: datetime) -> Verification:
    """The certificate's public facts, and whether it is still valid at `now`."""
    attempt = certificate.attempt
    until = valid_until(attempt)
    return Verification(
        masked_name=mask_name(attempt.user.name),
        bank_title=attempt.version.title,
        version=attempt.version.number,
        passed_at=attempt.submitted_at,
        valid_until=until,
        valid=until is None or now < until,
    )
