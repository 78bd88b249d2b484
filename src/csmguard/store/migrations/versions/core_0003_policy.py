"""Firm policy: confirmations of firm-policy settings and adoptions of good-practice rules

Revision ID: core_0003
Revises: core_0002
Create Date: 2026-12-08 00:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'core_0003'
down_revision: str | Sequence[str] | None = 'core_0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the two append-only tables."""
    op.create_table(
        'policy_confirmations',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('setting', sa.String(length=96), nullable=False),
        sa.Column('value', sa.JSON(), nullable=False),
        sa.Column('confirmed_by', sa.Text(), nullable=False),
        sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('policy_confirmations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_policy_confirmations_setting'), ['setting'], unique=False)
    op.create_table(
        'practice_adoptions',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('rule_id', sa.String(length=32), nullable=False),
        sa.Column('adopted', sa.Boolean(), nullable=False),
        sa.Column('decided_by', sa.Text(), nullable=False),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('practice_adoptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_adoptions_rule_id'), ['rule_id'], unique=False)


def downgrade() -> None:
    """Drop the tables."""
    with op.batch_alter_table('practice_adoptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_adoptions_rule_id'))
    op.drop_table('practice_adoptions')
    with op.batch_alter_table('policy_confirmations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_policy_confirmations_setting'))
    op.drop_table('policy_confirmations')
