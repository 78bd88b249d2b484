"""Notifications: per-user preferences and the outbox

Revision ID: duties_0001
Revises:
Create Date: 2026-12-08 02:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "duties_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("duties",)
depends_on: str | Sequence[str] | None = ("web_0001",)


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "notify_prefs",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("webhook_kind", sa.String(length=16), nullable=True),
        sa.Column("webhook_url", sa.Text(), nullable=True),
        sa.Column("mode", sa.String(length=16), nullable=False),
        sa.Column("digest_hour", sa.Integer(), nullable=False),
        sa.Column("lead_days", sa.Integer(), nullable=False),
        sa.Column("on_status_worse", sa.Boolean(), nullable=False),
        sa.Column("on_deadline", sa.Boolean(), nullable=False),
        sa.Column("on_privacy", sa.Boolean(), nullable=False),
        sa.Column("lang", sa.String(length=8), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_digest_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["web_users.id"], name=op.f("fk_notify_prefs_user_id_web_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_notify_prefs")),
    )
    op.create_table(
        "notify_outbox",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("event_key", sa.String(length=400), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["web_users.id"], name=op.f("fk_notify_outbox_user_id_web_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notify_outbox")),
        sa.UniqueConstraint("user_id", "channel", "event_key", name=op.f("uq_notify_outbox_user_id_channel_event_key")),
    )
    with op.batch_alter_table("notify_outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notify_outbox_user_id"), ["user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_notify_outbox_sent_at"), ["sent_at"], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("notify_outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notify_outbox_sent_at"))
        batch_op.drop_index(batch_op.f("ix_notify_outbox_user_id"))
    op.drop_table("notify_outbox")
    op.drop_table("notify_prefs")
