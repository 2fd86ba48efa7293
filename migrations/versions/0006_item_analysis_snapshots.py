"""Item analysis snapshots: each bank version's latest computed analysis, reused while current.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op


revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

#: Timestamps are timezone-aware UTC (quizapp.database.UTCDateTime).
UTC_TIMESTAMP = sa.DateTime(timezone=True)


def upgrade():
    op.create_table(
        "item_analysis_snapshot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bank_version_id", sa.Integer(), nullable=False),
        sa.Column("computed_at", UTC_TIMESTAMP, nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_submitted_at", UTC_TIMESTAMP, nullable=True),
        sa.Column("data", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["bank_version_id"],
            ["bank_version.id"],
            name=op.f("fk_item_analysis_snapshot_bank_version_id_bank_version"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_item_analysis_snapshot")),
        sa.UniqueConstraint(
            "bank_version_id", name=op.f("uq_item_analysis_snapshot_bank_version_id")
        ),
    )


def downgrade():
    op.drop_table("item_analysis_snapshot")
