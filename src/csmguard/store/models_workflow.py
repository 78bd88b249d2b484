"""The tables of the compliance team's daily work: remediation tasks (owner, due date, state, how each was
closed) and the sign-off of saved assessments (評估人員／覆核人員／核准人員)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from csmguard.store.db import Base


class TaskRow(Base):
    """A remediation task for a non-compliant requirement or a failing finding (by fingerprint).

    ``scanner``, ``subject`` and ``target`` are copied from the finding's scan when the task is opened, so a
    later complete scan of the same subject or target can be recognised as resolving it."""

    __tablename__ = "remediation_tasks"
    __table_args__ = (Index("ix_remediation_tasks_state_owner", "state", "owner"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # "requirement" | "finding"
    requirement: Mapped[str] = mapped_column(String(32), index=True)
    article: Mapped[str] = mapped_column(String(16), index=True)
    fingerprint: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    rule_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    severity: Mapped[str | None] = mapped_column(String(16), nullable=True)
    scanner: Mapped[str | None] = mapped_column(String(32), nullable=True)
    subject: Mapped[str | None] = mapped_column(Text, nullable=True)
    target: Mapped[str | None] = mapped_column(Text, nullable=True)
    title: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(24))
    owner: Mapped[str | None] = mapped_column(String(64), nullable=True)
    due_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    closed_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    closure: Mapped[str | None] = mapped_column(String(16), nullable=True)  # "evidence" | "rescan"
    closure_evidence: Mapped[str | None] = mapped_column(ForeignKey("evidence.sha256"), nullable=True)
    closure_scan: Mapped[str | None] = mapped_column(String(36), nullable=True)
    closure_note: Mapped[str | None] = mapped_column(Text, nullable=True)


class SignoffRow(Base):
    """One step of an assessment's sign-off: submitted (preparer), reviewed or approved, by whom and when."""

    __tablename__ = "assessment_signoffs"

    assessment_id: Mapped[str] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True)
    step: Mapped[str] = mapped_column(String(16), primary_key=True)  # "submitted" | "reviewed" | "approved"
    username: Mapped[str] = mapped_column(String(100))
    display_name: Mapped[str] = mapped_column(String(200))
    signed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
