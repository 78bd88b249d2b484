"""Register fields for two more duties: isolation failures among provider incidents (CSM-7.2) and when an
official social media account began and when its platform's privacy policy was understood (CSM-11.1)

Revision ID: core_0005
Revises: core_0004
Create Date: 2026-12-08 01:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'core_0005'
down_revision: str | Sequence[str] | None = 'core_0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the columns (an incident recorded before is not an isolation failure)."""
    with op.batch_alter_table('reg_provider_incidents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('isolation_failure', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('reg_social_accounts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('operated_since', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('privacy_policy_understood_on', sa.Date(), nullable=True))


def downgrade() -> None:
    """Drop them."""
    with op.batch_alter_table('reg_social_accounts', schema=None) as batch_op:
        batch_op.drop_column('privacy_policy_understood_on')
        batch_op.drop_column('operated_since')
    with op.batch_alter_table('reg_provider_incidents', schema=None) as batch_op:
        batch_op.drop_column('isolation_failure')
