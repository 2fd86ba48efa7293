"""Report indexes: every column the completion and trend queries read from `attempt`, so
PostgreSQL answers them with an index-only scan.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""
from alembic import op


revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_attempt_user_bank_outcome",
        "attempt",
        ["user_id", "bank_id", "submitted_at", "passed", "percent"],
    )


def downgrade():
    op.drop_index("ix_attempt_user_bank_outcome", table_name="attempt")
