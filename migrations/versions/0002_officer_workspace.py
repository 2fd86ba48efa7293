"""Officer workspace: assignments, the audit log, login cards, bank images and drafts.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

#: Timestamps are timezone-aware UTC (quizapp.database.UTCDateTime).
UTC_TIMESTAMP = sa.DateTime(timezone=True)


def upgrade():
    op.create_table(
        "assignment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bank_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=True),
        sa.Column("due_at", UTC_TIMESTAMP, nullable=False),
        sa.Column("valid_for_days", sa.Integer(), nullable=True),
        sa.Column("created_at", UTC_TIMESTAMP, nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("cancelled_at", UTC_TIMESTAMP, nullable=True),
        sa.ForeignKeyConstraint(["bank_id"], ["bank.id"], name=op.f("fk_assignment_bank_id_bank")),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["app_user.id"], name=op.f("fk_assignment_created_by_id_app_user")
        ),
        sa.ForeignKeyConstraint(["site_id"], ["site.id"], name=op.f("fk_assignment_site_id_site")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignment")),
    )
    op.create_index(op.f("ix_assignment_bank_id"), "assignment", ["bank_id"])
    op.create_index(op.f("ix_assignment_site_id"), "assignment", ["site_id"])

    op.create_table(
        "audit_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", UTC_TIMESTAMP, nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("target", sa.String(length=200), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["app_user.id"], name=op.f("fk_audit_entry_actor_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entry")),
    )
    op.create_index(op.f("ix_audit_entry_at"), "audit_entry", ["at"])

    op.create_table(
        "bank_draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", UTC_TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"], ["app_user.id"], name=op.f("fk_bank_draft_uploaded_by_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bank_draft")),
    )
    op.create_table(
        "login_card",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTC_TIMESTAMP, nullable=False),
        sa.Column("revoked_at", UTC_TIMESTAMP, nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_login_card_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_card")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_login_card_token_hash")),
    )
    op.create_index(op.f("ix_login_card_user_id"), "login_card", ["user_id"])

    op.create_table(
        "assignment_crew",
        sa.Column("assignment_id", sa.Integer(), nullable=False),
        sa.Column("crew_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assignment_id"],
            ["assignment.id"],
            name=op.f("fk_assignment_crew_assignment_id_assignment"),
        ),
        sa.ForeignKeyConstraint(
            ["crew_id"], ["crew.id"], name=op.f("fk_assignment_crew_crew_id_crew")
        ),
        sa.PrimaryKeyConstraint("assignment_id", "crew_id", name=op.f("pk_assignment_crew")),
    )
    op.create_index(op.f("ix_assignment_crew_crew_id"), "assignment_crew", ["crew_id"])

    op.create_table(
        "bank_image",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bank_version_id", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(length=255), nullable=False),
        sa.Column("media_type", sa.String(length=32), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["bank_version_id"],
            ["bank_version.id"],
            name=op.f("fk_bank_image_bank_version_id_bank_version"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bank_image")),
        sa.UniqueConstraint(
            "bank_version_id", "path", name=op.f("uq_bank_image_bank_version_id_path")
        ),
    )


def downgrade():
    op.drop_table("bank_image")
    op.drop_index(op.f("ix_assignment_crew_crew_id"), table_name="assignment_crew")

    op.drop_table("assignment_crew")
    op.drop_index(op.f("ix_login_card_user_id"), table_name="login_card")

    op.drop_table("login_card")
    op.drop_table("bank_draft")
    op.drop_index(op.f("ix_audit_entry_at"), table_name="audit_entry")

    op.drop_table("audit_entry")
    op.drop_index(op.f("ix_assignment_site_id"), table_name="assignment")
    op.drop_index(op.f("ix_assignment_bank_id"), table_name="assignment")

    op.drop_table("assignment")
