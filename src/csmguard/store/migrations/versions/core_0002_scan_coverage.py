"""Scan coverage: scan state, declared coverage and voiding; finding target keys and the current flag

Revision ID: core_0002
Revises: core_0001
Create Date: 2026-12-07 23:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import orjson
import sqlalchemy as sa
from alembic import op

revision: str = 'core_0002'
down_revision: str | Sequence[str] | None = 'core_0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the columns, then fill them for scans recorded before: every old scan counts as complete, a
    finding's target key comes from its JSON, and the findings of the latest scan of each (scanner,
    subject) are current, as they were counted before."""
    with op.batch_alter_table('scans', schema=None) as batch_op:
        batch_op.add_column(sa.Column('state', sa.String(length=16), server_default='complete', nullable=False))
        batch_op.add_column(sa.Column('coverage', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('voided_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('voided_by', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('void_reason', sa.Text(), nullable=True))
    with op.batch_alter_table('findings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('target', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('current', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.create_index(batch_op.f('ix_findings_current'), ['current'], unique=False)
        batch_op.create_index('ix_findings_target_rule', ['target', 'rule_id'], unique=False)

    bind = op.get_bind()
    findings = sa.table('findings', sa.column('id', sa.Integer), sa.column('data', sa.JSON),
                        sa.column('target', sa.Text), sa.column('current', sa.Boolean),
                        sa.column('scan_id', sa.String))
    scans = sa.table('scans', sa.column('id', sa.String), sa.column('scanner', sa.String),
                     sa.column('subject', sa.Text), sa.column('seq', sa.Integer))
    rows = bind.execute(sa.select(findings.c.id, sa.cast(findings.c.data, sa.Text))).all()
    for ident, data in rows:
        target = orjson.loads(data).get('target') or {}
        bind.execute(findings.update().where(findings.c.id == ident)
                     .values(target=f"{target.get('kind', '')}:{target.get('id', '')}"))
    rank = sa.func.row_number().over(partition_by=(scans.c.scanner, scans.c.subject), order_by=scans.c.seq.desc())
    ranked = sa.select(scans.c.id, rank.label('rank')).subquery()
    stale = sa.select(ranked.c.id).where(ranked.c.rank > 1)
    bind.execute(findings.update().where(findings.c.scan_id.in_(stale)).values(current=False))


def downgrade() -> None:
    """Remove the columns."""
    with op.batch_alter_table('findings', schema=None) as batch_op:
        batch_op.drop_index('ix_findings_target_rule')
        batch_op.drop_index(batch_op.f('ix_findings_current'))
        batch_op.drop_column('current')
        batch_op.drop_column('target')
    with op.batch_alter_table('scans', schema=None) as batch_op:
        batch_op.drop_column('void_reason')
        batch_op.drop_column('voided_by')
        batch_op.drop_column('voided_at')
        batch_op.drop_column('coverage')
        batch_op.drop_column('state')
