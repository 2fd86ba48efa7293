"""Report index: the active workers of each crew, so a report finds who an assignment asks
from the index alone.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""
from alembic import op


revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_app_user_crew_worker", "app_user", ["crew_id", "role", "active"])


def downgrade():
    op.drop_index("ix_app_user_crew_worker", table_name="app_user")
