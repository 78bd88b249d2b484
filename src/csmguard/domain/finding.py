"""The one finding model that every scanner and register check produces."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from csmguard.domain.i18n import LocalizedText
from csmguard.domain.ids import RequirementId, RuleId
from csmguard.domain.levels import Basis, Level, Severity

JsonValue = str | int | float | bool | None | list[Any] | dict[str, Any]

MAX_EVIDENCE_VALUE_CHARS = 500


class FindingStatus(StrEnum):
    """The verdict of one rule on one target."""

    FAIL = "fail"
    PASS = "pass"  # noqa: S105 - a verdict, not a password
    MANUAL = "manual"
    ERROR = "error"
    NOT_APPLICABLE = "not_applicable"
    UNKNOWN = "unknown"

    @property
    def label(self) -> LocalizedText:
        """The verdict in words (未通過／通過／需人工判定／錯誤／不適用／無法判定)."""
        return _STATUS_WORDS[self]


_STATUS_WORDS: dict[FindingStatus, LocalizedText] = {
    FindingStatus.FAIL: LocalizedText.model_validate({"zh-TW": "未通過", "en": "fail"}),
    FindingStatus.PASS: LocalizedText.model_validate({"zh-TW": "通過", "en": "pass"}),
    FindingStatus.MANUAL: LocalizedText.model_validate({"zh-TW": "需人工判定", "en": "manual"}),
    FindingStatus.ERROR: LocalizedText.model_validate({"zh-TW": "錯誤", "en": "error"}),
    FindingStatus.NOT_APPLICABLE: LocalizedText.model_validate({"zh-TW": "不適用", "en": "not applicable"}),
    FindingStatus.UNKNOWN: LocalizedText.model_validate({"zh-TW": "無法判定", "en": "unknown"}),
}


class Target(BaseModel):
    """What was examined: an app package, a source tree, a host, a device, a register record …"""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: str = Field(min_length=1)
    id: str = Field(min_length=1)
    name: str | None = None


class Location(BaseModel):
    """Where in the target the finding is; only the fields that apply are set."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    path: str | None = None
    line: int | None = Field(default=None, ge=1)
    column: int | None = Field(default=None, ge=1)
    end_line: int | None = Field(default=None, ge=1)
    url: str | None = None
    host: str | None = None
    port: int | None = Field(default=None, ge=0, le=65535)
    resource: str | None = None
    device_id: str | None = None
    register_id: str | None = None
    record: str | None = None

    def stable_key(self) -> str:
        """The parts of the location that survive edits elsewhere in a file (no line or column)."""
        parts = (self.path, self.url, self.host, self.port, self.resource, self.device_id,
                 self.register_id, self.record)
        return "|".join("" if part is None else str(part) for part in parts)

    def compact(self) -> dict[str, Any]:
        """The set fields only, for JSON output."""
        return self.model_dump(exclude_none=True)


def make_fingerprint(rule_id: str, target: Target, location: Location, key: str = "") -> str:
    """A fingerprint that identifies a finding across runs and line moves.

    ``key`` is what the scanner knows to be stable about the finding, e.g. a hash of the matched
    text or the name of a misconfigured attribute; line numbers never enter it.
    """
    material = "\x1f".join((rule_id, target.kind, target.id, location.stable_key(), key))
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:32]


class Provenance(BaseModel):
    """Where an imported finding came from: the tool that judged (name, version), its own rule ID, a link
    to that rule's documentation, and how fully the mapped clause is covered by that rule (``full`` or
    ``partial``, from the mapping file). Findings of CSM Guard's own scanners carry none."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    tool: str = Field(min_length=1)
    version: str | None = None
    rule_id: str = Field(min_length=1)
    url: str | None = None
    coverage: str = Field(default="partial", pattern="^(full|partial)$")
    file: str | None = None


class Finding(BaseModel):
    """One immutable verdict of one rule on one target, naming the requirements it bears on."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rule_id: RuleId
    status: FindingStatus
    severity: Severity
    level: Level | None = None  # the level of the clause the rule tests (a weaker clause's own level)
    basis: Basis | None = None  # what the rule rests on; None (older results) is read as text
    requirements: tuple[RequirementId, ...] = Field(min_length=1)
    title: LocalizedText
    message: LocalizedText
    target: Target
    location: Location = Field(default_factory=Location)
    evidence: dict[str, JsonValue] = Field(default_factory=dict)
    fingerprint: str = Field(min_length=8)
    observed_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    provenance: Provenance | None = None

    @field_validator("evidence")
    @classmethod
    def _evidence_is_small(cls, value: dict[str, JsonValue]) -> dict[str, JsonValue]:
        for key, item in value.items():
            if isinstance(item, str) and len(item) > MAX_EVIDENCE_VALUE_CHARS:
                raise ValueError(
                    f"evidence {key!r} is {len(item)} characters; keep evidence under "
                    f"{MAX_EVIDENCE_VALUE_CHARS} and redacted"
                )
        return value

    @property
    def failing(self) -> bool:
        """Whether this finding reports a failure."""
        return self.status is FindingStatus.FAIL

    def to_json_dict(self) -> dict[str, Any]:
        """The finding in the JSON shape of the design (language-keyed texts, compact location); an imported
        finding adds ``provenance``."""
        out: dict[str, Any] = {
            "rule_id": self.rule_id,
            "status": self.status.value,
            "severity": self.severity.value,
            "level": self.level.value if self.level else None,
            "basis": self.basis.value if self.basis else None,
            "requirements": list(self.requirements),
            "title": self.title.as_dict(),
            "message": self.message.as_dict(),
            "target": self.target.model_dump(exclude_none=True),
            "location": self.location.compact(),
            "evidence": self.evidence,
            "fingerprint": self.fingerprint,
            "observed_at": self.observed_at.isoformat(),
        }
        if self.provenance is not None:
            out["provenance"] = self.provenance.model_dump(exclude_none=True)
        return out


def redact(secret: str, keep: int = 4) -> str:
    """Show a secret so that a person can recognise it but not use it: ``AKIA…(20 chars)…MPLE``."""
    if len(secret) <= keep * 2 + 2:
        return f"{secret[:1]}…({len(secret)} chars)"
    return f"{secret[:keep]}…({len(secret)} chars)…{secret[-keep:]}"
