"""The compliance team's workflow: remediation tasks, four-eyes decisions on exceptions and accepted risks,
attestation review, and assessment sign-off

Revision ID: core_0006
Revises: core_0005
Create Date: 2026-12-08 02:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'core_0006'
down_revision: str | Sequence[str] | None = 'core_0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the task and sign-off tables; exceptions and attestations recorded before stay in force
    (approved, accepted)."""
    op.create_table(
        'remediation_tasks',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('requirement', sa.String(length=32), nullable=False),
        sa.Column('article', sa.String(length=16), nullable=False),
        sa.Column('fingerprint', sa.String(length=64), nullable=True),
        sa.Column('rule_id', sa.String(length=32), nullable=True),
        sa.Column('severity', sa.String(length=16), nullable=True),
        sa.Column('scanner', sa.String(length=32), nullable=True),
        sa.Column('subject', sa.Text(), nullable=True),
        sa.Column('target', sa.Text(), nullable=True),
        sa.Column('title', sa.Text(), nullable=False),
        sa.Column('state', sa.String(length=24), nullable=False),
        sa.Column('owner', sa.String(length=64), nullable=True),
        sa.Column('due_on', sa.Date(), nullable=True),
        sa.Column('created_by', sa.String(length=100), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('closed_by', sa.String(length=100), nullable=True),
        sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('closure', sa.String(length=16), nullable=True),
        sa.Column('closure_evidence', sa.String(length=64), nullable=True),
        sa.Column('closure_scan', sa.String(length=36), nullable=True),
        sa.Column('closure_note', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['closure_evidence'], ['evidence.sha256']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('remediation_tasks', schema=None) as batch_op:
        batch_op.create_index('ix_remediation_tasks_requirement', ['requirement'], unique=False)
        batch_op.create_index('ix_remediation_tasks_article', ['article'], unique=False)
        batch_op.create_index('ix_remediation_tasks_fingerprint', ['fingerprint'], unique=False)
        batch_op.create_index('ix_remediation_tasks_state_owner', ['state', 'owner'], unique=False)
    op.create_table(
        'assessment_signoffs',
        sa.Column('assessment_id', sa.String(length=36), nullable=False),
        sa.Column('step', sa.String(length=16), nullable=False),
        sa.Column('username', sa.String(length=100), nullable=False),
        sa.Column('display_name', sa.String(length=200), nullable=False),
        sa.Column('signed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('note', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('assessment_id', 'step'),
    )
    with op.batch_alter_table('exceptions', schema=None) as batch_op:
        batch_op.alter_column('approver', existing_type=sa.Text(), nullable=True)
        batch_op.alter_column('approved_on', existing_type=sa.Date(), nullable=True)
        batch_op.add_column(sa.Column('kind', sa.String(length=16), server_default='exception', nullable=False))
        batch_op.add_column(sa.Column('state', sa.String(length=16), server_default='approved', nullable=False))
        batch_op.add_column(sa.Column('requested_by', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('decided_by', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('decision_note', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('renews', sa.String(length=36), nullable=True))
        batch_op.create_index('ix_exceptions_state', ['state'], unique=False)
    with op.batch_alter_table('attestations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('review_state', sa.String(length=16), server_default='accepted',
                                      nullable=False))
        batch_op.add_column(sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    """Drop them (requested or rejected exceptions and pending attestations go too)."""
    op.execute("DELETE FROM exception_evidence WHERE exception_id IN "
               "(SELECT id FROM exceptions WHERE state <> 'approved')")
    op.execute("DELETE FROM exceptions WHERE state <> 'approved'")
    op.execute("DELETE FROM attestation_evidence WHERE attestation_id IN "
               "(SELECT id FROM attestations WHERE review_state <> 'accepted')")
    op.execute("DELETE FROM attestations WHERE review_state <> 'accepted'")
    with op.batch_alter_table('attestations', schema=None) as batch_op:
        batch_op.drop_column('reviewed_at')
        batch_op.drop_column('review_state')
    with op.batch_alter_table('exceptions', schema=None) as batch_op:
        batch_op.drop_index('ix_exceptions_state')
        batch_op.drop_column('renews')
        batch_op.drop_column('decision_note')
        batch_op.drop_column('decided_at')
        batch_op.drop_column('decided_by')
        batch_op.drop_column('requested_by')
        batch_op.drop_column('state')
        batch_op.drop_column('kind')
        batch_op.alter_column('approved_on', existing_type=sa.Date(), nullable=False)
        batch_op.alter_column('approver', existing_type=sa.Text(), nullable=False)
    op.drop_table('assessment_signoffs')
    with op.batch_alter_table('remediation_tasks', schema=None) as batch_op:
        batch_op.drop_index('ix_remediation_tasks_state_owner')
        batch_op.drop_index('ix_remediation_tasks_fingerprint')
        batch_op.drop_index('ix_remediation_tasks_article')
        batch_op.drop_index('ix_remediation_tasks_requirement')
    op.drop_table('remediation_tasks')
