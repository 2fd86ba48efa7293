"""Attempt totals on SQLite: a WITHOUT ROWID table, stored in its primary key's order, so a
report finds a worker's totals at a quiz in one B-tree instead of the key's index and then
the row.

PostgreSQL has no such option and keeps the table as it is. The rows are copied as they
are: they only count attempts, and the copy counts the same.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-08
"""
import sqlalchemy as sa
from alembic import op


revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

#: Timestamps are timezone-aware UTC (quizapp.database.UTCDateTime).
UTC_TIMESTAMP = sa.DateTime(timezone=True)

COLUMNS = "user_id, bank_id, attempts, running, submitted, passes, best_percent, passed_at"


def rebuild(*, with_rowid: bool) -> None:
    """Copy attempt_totals into a table created with or without rowids, then swap them."""
    op.create_table(
        "attempt_totals_rebuilt",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("bank_id", sa.Integer(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("running", sa.Integer(), nullable=False),
        sa.Column("submitted", sa.Integer(), nullable=False),
        sa.Column("passes", sa.Integer(), nullable=False),
        sa.Column("best_percent", sa.Float(), nullable=True),
        sa.Column("passed_at", UTC_TIMESTAMP, nullable=True),
        # The names the table had, not ones made from the temporary name.
        sa.ForeignKeyConstraint(["bank_id"], ["bank.id"], name="fk_attempt_totals_bank_id_bank"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name="fk_attempt_totals_user_id_app_user"
        ),
        sa.PrimaryKeyConstraint("user_id", "bank_id", name="pk_attempt_totals"),
        sqlite_with_rowid=with_rowid,
    )
    op.execute(
        f"INSERT INTO attempt_totals_rebuilt ({COLUMNS}) SELECT {COLUMNS} FROM attempt_totals"
    )
    op.drop_table("attempt_totals")
    op.rename_table("attempt_totals_rebuilt", "attempt_totals")


def upgrade():
    if op.get_bind().dialect.name == "sqlite":
        rebuild(with_rowid=False)


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        rebuild(with_rowid=True)
