"""Register fields for duties that were unchecked: provider incident updates (CSM-6.3) and the
reconfiguration of a transferred person's devices (CSM-14.2)

Revision ID: core_0004
Revises: core_0003
Create Date: 2026-12-08 00:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'core_0004'
down_revision: str | Sequence[str] | None = 'core_0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the two nullable date columns."""
    with op.batch_alter_table('reg_provider_incidents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_update_on', sa.Date(), nullable=True))
    with op.batch_alter_table('reg_staff_changes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('devices_reconfigured_on', sa.Date(), nullable=True))


def downgrade() -> None:
    """Drop them."""
    with op.batch_alter_table('reg_staff_changes', schema=None) as batch_op:
        batch_op.drop_column('devices_reconfigured_on')
    with op.batch_alter_table('reg_provider_incidents', schema=None) as batch_op:
        batch_op.drop_column('last_update_on')
