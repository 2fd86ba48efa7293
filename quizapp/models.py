"""Every table of every area, imported in one place so the metadata is complete
(for migrations, `db.create_all()` in tests, and relationships named by string)."""

from quizapp.assignments.models import Assignment, assignment_crew
from quizapp.audit.models import AuditEntry
from quizapp.auth.models import LoginCard, User
from quizapp.banks.models import Bank, BankDraft, BankImage, BankVersion
from quizapp.crews.models import Crew, Site
from quizapp.quizzes.models import Answer, Attempt

__all__ = [
    "Answer",
    "Assignment",
    "Attempt",
    "AuditEntry",
    "Bank",
    "BankDraft",
    "BankImage",
    "BankVersion",
    "Crew",
    "LoginCard",
    "Site",
    "User",
    "assignment_crew",
]
