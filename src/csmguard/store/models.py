"""The core tables: workspace metadata, scans and findings, evidence, attestations,
exceptions and saved assessments. Register tables are in :mod:`csmguard.store.register_tables`."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from csmguard.store.db import Base
from csmguard.store.register_tables import REGISTER_TABLES

__all__ = [
    "REGISTER_TABLES",
    "AssessmentRow",
    "AttestationEvidenceRow",
    "AttestationRow",
    "EvidenceRow",
    "ExceptionEvidenceRow",
    "ExceptionRow",
    "FindingRow",
    "MetaRow",
    "ScanRow",
]


class MetaRow(Base):
    """Key/value facts about the workspace (e.g. the organization's name)."""

    __tablename__ = "workspace_meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class ScanRow(Base):
    """One recorded scan or register-check run, with its full JSON document, its state (complete, partial,
    failed: see :mod:`csmguard.domain.coverage`), what it covered, and whether it was voided."""

    __tablename__ = "scans"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    scanner: Mapped[str] = mapped_column(String(32), index=True)
    subject: Mapped[str] = mapped_column(Text)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    seq: Mapped[int] = mapped_column(Integer, index=True)
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(16), default="complete", server_default="complete")
    coverage: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    voided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    voided_by: Mapped[str | None] = mapped_column(Text, nullable=True)
    void_reason: Mapped[str | None] = mapped_column(Text, nullable=True)

    findings: Mapped[list[FindingRow]] = relationship(back_populates="scan", cascade="all, delete-orphan")


class FindingRow(Base):
    """One finding of a recorded scan (the full finding JSON plus indexed columns). ``target`` is the
    finding's target key (``kind:id``); ``current`` says whether no later valid scan covered the same
    (target, rule) or re-scanned the same subject completely: the findings an assessment counts."""

    __tablename__ = "findings"
    __table_args__ = (Index("ix_findings_target_rule", "target", "rule_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    scan_id: Mapped[str] = mapped_column(ForeignKey("scans.id", ondelete="CASCADE"), index=True)
    rule_id: Mapped[str] = mapped_column(String(16), index=True)
    status: Mapped[str] = mapped_column(String(16))
    severity: Mapped[str] = mapped_column(String(16))
    fingerprint: Mapped[str] = mapped_column(String(64))
    requirements: Mapped[list[str]] = mapped_column(JSON)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    target: Mapped[str] = mapped_column(Text, default="", server_default="")
    current: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true(), index=True)

    scan: Mapped[ScanRow] = relationship(back_populates="findings")


class EvidenceRow(Base):
    """A file in the evidence store, named by its SHA-256."""

    __tablename__ = "evidence"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    size: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str | None] = mapped_column(String(128), nullable=True)
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AttestationRow(Base):
    """A person's statement about one requirement."""

    __tablename__ = "attestations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    requirement: Mapped[str] = mapped_column(String(32), index=True)
    status: Mapped[str] = mapped_column(String(32))
    statement: Mapped[str] = mapped_column(Text)
    attested_by: Mapped[str] = mapped_column(Text)
    reviewer: Mapped[str | None] = mapped_column(Text, nullable=True)
    attested_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # "accepted" (counts), "pending" (awaits its reviewer's approval), "rejected"
    review_state: Mapped[str] = mapped_column(String(16), default="accepted", server_default="accepted")
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class AttestationEvidenceRow(Base):
    """Which evidence files back an attestation."""

    __tablename__ = "attestation_evidence"

    attestation_id: Mapped[str] = mapped_column(ForeignKey("attestations.id", ondelete="CASCADE"), primary_key=True)
    sha256: Mapped[str] = mapped_column(ForeignKey("evidence.sha256"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class ExceptionRow(Base):
    """An accepted deviation with compensating controls (CSM-4.1)."""

    __tablename__ = "exceptions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    requirement: Mapped[str] = mapped_column(String(32), index=True)
    rationale: Mapped[str] = mapped_column(Text)
    compensating_controls: Mapped[str] = mapped_column(Text)
    approver: Mapped[str | None] = mapped_column(Text, nullable=True)  # None until approved
    approved_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    expires_on: Mapped[date] = mapped_column(Date)
    rule_ids: Mapped[list[str]] = mapped_column(JSON)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # four-eyes workflow (see services.approvals): requested by one user, decided by another
    kind: Mapped[str] = mapped_column(String(16), default="exception", server_default="exception")
    state: Mapped[str] = mapped_column(String(16), default="approved", server_default="approved", index=True)
    requested_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    decided_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    decision_note: Mapped[str | None] = mapped_column(Text, nullable=True)
    renews: Mapped[str | None] = mapped_column(String(36), nullable=True)


class ExceptionEvidenceRow(Base):
    """Which evidence files back an exception."""

    __tablename__ = "exception_evidence"

    exception_id: Mapped[str] = mapped_column(ForeignKey("exceptions.id", ondelete="CASCADE"), primary_key=True)
    sha256: Mapped[str] = mapped_column(ForeignKey("evidence.sha256"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class AssessmentRow(Base):
    """A saved assessment: the engine's full document and a small summary for listings."""

    __tablename__ = "assessments"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    seq: Mapped[int] = mapped_column(Integer, index=True)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON)
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
