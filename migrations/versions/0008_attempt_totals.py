"""Attempt totals: what each person's attempts at a bank add up to, for the reports.

Filled here from the attempts already made; from then on the app keeps them as attempts
start and finish (quizapp.quizzes.totals).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op


revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

#: Timestamps are timezone-aware UTC (quizapp.database.UTCDateTime).
UTC_TIMESTAMP = sa.DateTime(timezone=True)

BACKFILL = """
INSERT INTO attempt_totals
    (user_id, bank_id, attempts, running, submitted, passes, best_percent, passed_at)
SELECT user_id, bank_id, count(*), count(*) - count(submitted_at), count(submitted_at),
       sum(CASE WHEN passed THEN 1 ELSE 0 END), max(percent),
       max(CASE WHEN passed THEN submitted_at END)
FROM attempt
GROUP BY user_id, bank_id
"""


def upgrade():
    op.create_table(
        "attempt_totals",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("bank_id", sa.Integer(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("running", sa.Integer(), nullable=False),
        sa.Column("submitted", sa.Integer(), nullable=False),
        sa.Column("passes", sa.Integer(), nullable=False),
        sa.Column("best_percent", sa.Float(), nullable=True),
        sa.Column("passed_at", UTC_TIMESTAMP, nullable=True),
        sa.ForeignKeyConstraint(
            ["bank_id"], ["bank.id"], name=op.f("fk_attempt_totals_bank_id_bank")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_attempt_totals_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("user_id", "bank_id", name=op.f("pk_attempt_totals")),
    )
    op.execute(BACKFILL)


def downgrade():
    op.drop_table("attempt_totals")
