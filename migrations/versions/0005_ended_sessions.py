"""Ended sessions: the ids of signed-out sessions, so copies of their cookies stop working.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op


revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

#: Timestamps are timezone-aware UTC (quizapp.database.UTCDateTime).
UTC_TIMESTAMP = sa.DateTime(timezone=True)


def upgrade():
    op.create_table(
        "ended_session",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("expires_at", UTC_TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ended_session")),
    )
    op.create_index(op.f("ix_ended_session_expires_at"), "ended_session", ["expires_at"])


def downgrade():
    op.drop_index(op.f("ix_ended_session_expires_at"), table_name="ended_session")
    op.drop_table("ended_session")
