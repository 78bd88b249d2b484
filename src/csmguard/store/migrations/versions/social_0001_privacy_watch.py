"""Privacy-policy watch: fetched versions and review items

Revision ID: social_0001
Revises:
Create Date: 2026-11-29 10:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "social_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("social",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "privacy_versions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("platform", sa.String(length=64), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("chars", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_privacy_versions")),
    )
    with op.batch_alter_table("privacy_versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_privacy_versions_platform"), ["platform"], unique=False)
        batch_op.create_index(batch_op.f("ix_privacy_versions_fetched_at"), ["fetched_at"], unique=False)
    op.create_table(
        "privacy_reviews",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("version_id", sa.String(length=36), nullable=False),
        sa.Column("platform", sa.String(length=64), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("words_added", sa.Integer(), nullable=False),
        sa.Column("words_removed", sa.Integer(), nullable=False),
        sa.Column("reviewed_by", sa.Text(), nullable=True),
        sa.Column("reviewed_on", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["version_id"], ["privacy_versions.id"],
                                name=op.f("fk_privacy_reviews_version_id_privacy_versions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_privacy_reviews")),
    )
    with op.batch_alter_table("privacy_reviews", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_privacy_reviews_version_id"), ["version_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_privacy_reviews_platform"), ["platform"], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("privacy_reviews")
    op.drop_table("privacy_versions")
