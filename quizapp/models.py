"""Every table of every area, imported in one place so the metadata is complete
(for migrations, `db.create_all()` in tests, and relationships named by string)."""

from quizapp.analytics.models import ItemAnalysisSnapshot
from quizapp.api.models import ApiToken, api_token_site
from quizapp.assignments.models import Assignment, assignment_crew
from quizapp.audit.models import AuditEntry
from quizapp.auth.models import EndedSession, LoginCard, User, manager_site
from quizapp.banks.models import Bank, BankDraft, BankImage, BankVersion
from quizapp.certificates.models import Certificate
from quizapp.competitions.models import Competition, competition_bank
from quizapp.crews.models import Crew, Site
from quizapp.quizzes.models import Answer, Attempt

__all__ = [
    "Answer",
    "ApiToken",
    "Assignment",
    "Attempt",
    "AuditEntry",
    "Bank",
    "BankDraft",
    "BankImage",
    "BankVersion",
    "Certificate",
    "Competition",
    "Crew",
    "EndedSession",
    "ItemAnalysisSnapshot",
    "LoginCard",
    "Site",
    "User",
    "api_token_site",
    "assignment_crew",
    "competition_bank",
    "manager_site",
]
