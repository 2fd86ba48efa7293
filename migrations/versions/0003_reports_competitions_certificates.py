"""Reports, the API, competitions and certificates: manager sites, API tokens,
competitions, certificates, and an index for per-bank reports.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""
import sqlalchemy as sa
from alembic import op


revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

#: Timestamps are timezone-aware UTC (quizapp.database.UTCDateTime).
UTC_TIMESTAMP = sa.DateTime(timezone=True)


def upgrade():
    op.create_table('api_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', UTC_TIMESTAMP, nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('revoked_at', UTC_TIMESTAMP, nullable=True),
    sa.Column('last_used_at', UTC_TIMESTAMP, nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['app_user.id'], name=op.f('fk_api_token_created_by_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_token')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_token_token_hash'))
    )
    op.create_table('competition',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('starts_at', UTC_TIMESTAMP, nullable=False),
    sa.Column('ends_at', UTC_TIMESTAMP, nullable=False),
    sa.Column('created_at', UTC_TIMESTAMP, nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['app_user.id'], name=op.f('fk_competition_created_by_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competition'))
    )
    op.create_table('manager_site',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], name=op.f('fk_manager_site_site_id_site')),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_manager_site_user_id_app_user')),
    sa.PrimaryKeyConstraint('user_id', 'site_id', name=op.f('pk_manager_site'))
    )
    op.create_table('api_token_site',
    sa.Column('api_token_id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['api_token_id'], ['api_token.id'], name=op.f('fk_api_token_site_api_token_id_api_token')),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], name=op.f('fk_api_token_site_site_id_site')),
    sa.PrimaryKeyConstraint('api_token_id', 'site_id', name=op.f('pk_api_token_site'))
    )
    op.create_table('competition_bank',
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('bank_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['bank_id'], ['bank.id'], name=op.f('fk_competition_bank_bank_id_bank')),
    sa.ForeignKeyConstraint(['competition_id'], ['competition.id'], name=op.f('fk_competition_bank_competition_id_competition')),
    sa.PrimaryKeyConstraint('competition_id', 'bank_id', name=op.f('pk_competition_bank'))
    )
    op.create_table('certificate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('attempt_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('issued_at', UTC_TIMESTAMP, nullable=False),
    sa.ForeignKeyConstraint(['attempt_id'], ['attempt.id'], name=op.f('fk_certificate_attempt_id_attempt')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate')),
    sa.UniqueConstraint('attempt_id', name=op.f('uq_certificate_attempt_id')),
    sa.UniqueConstraint('code', name=op.f('uq_certificate_code'))
    )
    op.create_index("ix_attempt_bank_user", "attempt", ['bank_id', 'user_id', 'passed'])



def downgrade():
    op.drop_index("ix_attempt_bank_user", table_name="attempt")

    op.drop_table('certificate')
    op.drop_table('competition_bank')
    op.drop_table('api_token_site')
    op.drop_table('manager_site')
    op.drop_table('competition')
    op.drop_table('api_token')
