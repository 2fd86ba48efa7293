"""Indexes the report queries need on other areas' tables; the reports own no tables.

Declared here, next to the queries that depend on them, and created by migrations 0004 and 0007.
"""

from __future__ import annotations

from sqlalchemy import Index

from quizapp.auth.models import User
from quizapp.quizzes.models import Attempt

#: Every column the trend and date-bounded counts read from `attempt`, led by the join
#: columns: each worker's attempts at a quiz come from the index alone (an index-only scan
#: on PostgreSQL) instead of the wide rows with their drawn questions.
attempt_outcome_index = Index(
    "ix_attempt_user_bank_outcome",
    Attempt.user_id,
    Attempt.bank_id,
    Attempt.submitted_at,
    Attempt.passed,
    Attempt.percent,
)

#: The active workers of each crew: who a requirement names comes from the index alone,
#: without reading each person's row to check their role and that they are active.
worker_crew_index = Index("ix_app_user_crew_worker", User.crew_id, User.role, User.active)
