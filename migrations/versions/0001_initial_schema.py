"""Initial schema: sites, crews, people, banks and their versions, attempts and answers.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

#: Timestamps are timezone-aware UTC (quizapp.database.UTCDateTime).
UTC_TIMESTAMP = sa.DateTime(timezone=True)


def upgrade():
    op.create_table(
        "site",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_site")),
        sa.UniqueConstraint("name", name=op.f("uq_site_name")),
    )
    op.create_table(
        "crew",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["site_id"], ["site.id"], name=op.f("fk_crew_site_id_site")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crew")),
        sa.UniqueConstraint("name", name=op.f("uq_crew_name")),
    )
    op.create_index(op.f("ix_crew_site_id"), "crew", ["site_id"])

    op.create_table(
        "app_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("employee_no", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("crew_id", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("time_multiplier", sa.Float(), nullable=False),
        sa.Column("created_at", UTC_TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(["crew_id"], ["crew.id"], name=op.f("fk_app_user_crew_id_crew")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_user")),
        sa.UniqueConstraint("employee_no", name=op.f("uq_app_user_employee_no")),
    )
    op.create_index(op.f("ix_app_user_crew_id"), "app_user", ["crew_id"])

    op.create_table(
        "bank",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTC_TIMESTAMP, nullable=False),
        sa.Column("retired_at", UTC_TIMESTAMP, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bank")),
        sa.UniqueConstraint("slug", name=op.f("uq_bank_slug")),
    )
    op.create_table(
        "bank_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bank_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("language", sa.String(length=35), nullable=True),
        sa.Column("question_count", sa.Integer(), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("source_text", sa.Text(), nullable=False),
        sa.Column("source_name", sa.String(length=255), nullable=False),
        sa.Column("created_at", UTC_TIMESTAMP, nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["bank_id"], ["bank.id"], name=op.f("fk_bank_version_bank_id_bank")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["app_user.id"], name=op.f("fk_bank_version_created_by_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bank_version")),
        sa.UniqueConstraint("bank_id", "number", name=op.f("uq_bank_version_bank_id_number")),
    )

    op.create_table(
        "attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("bank_id", sa.Integer(), nullable=False),
        sa.Column("bank_version_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("started_at", UTC_TIMESTAMP, nullable=False),
        sa.Column("deadline", UTC_TIMESTAMP, nullable=True),
        sa.Column("layout", sa.JSON(), nullable=False),
        sa.Column("submitted_at", UTC_TIMESTAMP, nullable=True),
        sa.Column("finished_by", sa.String(length=16), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("max_score", sa.Integer(), nullable=True),
        sa.Column("percent", sa.Float(), nullable=True),
        sa.Column("passed", sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(["bank_id"], ["bank.id"], name=op.f("fk_attempt_bank_id_bank")),
        sa.ForeignKeyConstraint(
            ["bank_version_id"],
            ["bank_version.id"],
            name=op.f("fk_attempt_bank_version_id_bank_version"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_attempt_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attempt")),
        # Also the index for "a person's attempts" (user_id leads).
        sa.UniqueConstraint(
            "user_id", "bank_id", "number", name=op.f("uq_attempt_user_id_bank_id_number")
        ),
    )
    op.create_index(
        "ix_attempt_bank_version_submitted", "attempt", ["bank_version_id", "submitted_at"]
    )
    op.create_index(op.f("ix_attempt_submitted_at"), "attempt", ["submitted_at"])

    op.create_table(
        "answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(length=64), nullable=False),
        sa.Column("selected", sa.String(length=8), nullable=False),
        sa.Column("saved_at", UTC_TIMESTAMP, nullable=False),
        sa.Column("points", sa.Float(), nullable=True),
        sa.Column("correct", sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(
            ["attempt_id"], ["attempt.id"], name=op.f("fk_answer_attempt_id_attempt")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_answer")),
        sa.UniqueConstraint(
            "attempt_id", "question_id", name=op.f("uq_answer_attempt_id_question_id")
        ),
    )


def downgrade():
    op.drop_table("answer")
    op.drop_index(op.f("ix_attempt_submitted_at"), table_name="attempt")
    op.drop_index("ix_attempt_bank_version_submitted", table_name="attempt")
    op.drop_table("attempt")
    op.drop_table("bank_version")
    op.drop_table("bank")
    op.drop_index(op.f("ix_app_user_crew_id"), table_name="app_user")
    op.drop_table("app_user")
    op.drop_index(op.f("ix_crew_site_id"), table_name="crew")
    op.drop_table("crew")
    op.drop_table("site")
