"""Indexes the report queries need on other areas' tables; the reports own no tables.

Declared here, next to the queries that depend on them, and created by migration 0004.
"""

from __future__ import annotations

from sqlalchemy import Index

from quizapp.quizzes.models import Attempt

#: Every column the completion and trend queries read from `attempt`, led by the join
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
