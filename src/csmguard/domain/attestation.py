"""What people record about requirements: attestations (statements with evidence) and exceptions
(compensating controls, CSM-4.1). Both expire; an expired record stops counting."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from csmguard.domain.ids import RequirementId


class AttestedStatus(StrEnum):
    """What the person attesting says of the requirement."""

    IMPLEMENTED = "implemented"
    PARTIALLY_IMPLEMENTED = "partially_implemented"
    NOT_IMPLEMENTED = "not_implemented"
    NOT_APPLICABLE = "not_applicable"


class EvidenceRef(BaseModel):
    """A file kept in the workspace's evidence store, named by its SHA-256."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    name: str
    size: int = Field(ge=0)
    media_type: str | None = None


class Attestation(BaseModel):
    """A person's statement about one requirement, with evidence, a reviewer and an expiry."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    requirement: RequirementId
    status: AttestedStatus
    statement: str = Field(min_length=1)
    evidence: tuple[EvidenceRef, ...] = ()
    attested_by: str = Field(min_length=1)
    reviewer: str | None = None
    attested_on: date
    expires_on: date | None = None
    recorded_at: datetime | None = None

    def is_live(self, today: date) -> bool:
        """Whether the attestation still counts on ``today``."""
        return self.expires_on is None or self.expires_on >= today


class ExceptionRecord(BaseModel):
    """An accepted deviation from a requirement, with compensating controls (CSM-4.1), approver and expiry."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    requirement: RequirementId
    rationale: str = Field(min_length=1)
    compensating_controls: str = Field(min_length=1)
    approver: str = Field(min_length=1)
    approved_on: date
    expires_on: date
    rule_ids: tuple[str, ...] = ()
    evidence: tuple[EvidenceRef, ...] = ()

    def is_live(self, today: date) -> bool:
        """Whether the exception still counts on ``today``; an exception always has an expiry."""
        return self.expires_on >= today
