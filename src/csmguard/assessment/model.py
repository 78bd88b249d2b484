"""The result of an assessment: per-requirement statuses with their chains of reasons, and roll-ups.

Every type is a frozen pydantic model so that a result is immutable, serializes to JSON losslessly
(``AssessmentResult.model_dump_json()``) and reads back (``AssessmentResult.model_validate_json``).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from csmguard.domain import Basis, Level, LocalizedText, Severity


class ComplianceStatus(StrEnum):
    """The verdict on one requirement (or the worst verdict of a group)."""

    COMPLIANT = "compliant"
    PARTIALLY_COMPLIANT = "partially_compliant"
    NON_COMPLIANT = "non_compliant"
    NOT_APPLICABLE = "not_applicable"
    NOT_ASSESSED = "not_assessed"

    @property
    def label(self) -> LocalizedText:
        """The status in both languages, for reports and tables."""
        return STATUS_LABELS[self]


STATUS_LABELS: dict[ComplianceStatus, LocalizedText] = {
    ComplianceStatus.COMPLIANT: LocalizedText.model_validate({"zh-TW": "符合", "en": "Compliant"}),
    ComplianceStatus.PARTIALLY_COMPLIANT: LocalizedText.model_validate(
        {"zh-TW": "部分符合", "en": "Partially compliant"}),
    ComplianceStatus.NON_COMPLIANT: LocalizedText.model_validate({"zh-TW": "不符合", "en": "Non-compliant"}),
    ComplianceStatus.NOT_APPLICABLE: LocalizedText.model_validate({"zh-TW": "不適用", "en": "Not applicable"}),
    ComplianceStatus.NOT_ASSESSED: LocalizedText.model_validate({"zh-TW": "未評估", "en": "Not assessed"}),
}

STATUS_ORDER: tuple[ComplianceStatus, ...] = (
    ComplianceStatus.COMPLIANT,
    ComplianceStatus.PARTIALLY_COMPLIANT,
    ComplianceStatus.NON_COMPLIANT,
    ComplianceStatus.NOT_ASSESSED,
    ComplianceStatus.NOT_APPLICABLE,
)


class ReasonKind(StrEnum):
    """What a reason in a status's chain refers to."""

    VERDICT = "verdict"
    SCOPE = "scope"
    FINDING_FAIL = "finding_fail"
    FINDING_COVERED = "finding_covered"
    FINDING_PASS = "finding_pass"  # noqa: S105 - a kind of reason, not a password
    FINDING_OPEN = "finding_open"
    FINDING_NOT_APPLICABLE = "finding_not_applicable"
    ATTESTATION = "attestation"
    ATTESTATION_EXPIRED = "attestation_expired"
    ATTESTATION_SUPERSEDED = "attestation_superseded"
    EXCEPTION = "exception"
    EXCEPTION_EXPIRED = "exception_expired"
    CHILD = "child"
    NO_EVIDENCE = "no_evidence"
    EVIDENCE_FAILED = "evidence_failed"
    ADVISORY = "advisory"  # a weaker clause or unadopted good practice, shown beside the verdict


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Reason(_Frozen):
    """One link of the chain that explains a status, with the records it refers to."""

    kind: ReasonKind
    text: LocalizedText
    rule_id: str | None = None
    fingerprints: tuple[str, ...] = ()
    attestation_id: str | None = None
    exception_id: str | None = None
    evidence_sha256: tuple[str, ...] = ()
    requirement: str | None = None


class FindingRef(_Frozen):
    """A finding that stays open against a requirement (failing, manual, unknown or error)."""

    rule_id: str
    fingerprint: str
    status: str
    severity: Severity
    title: LocalizedText
    message: LocalizedText
    target: str
    location: str = ""
    covered_by: str | None = None
    basis: Basis = Basis.TEXT  # what the rule rests on (older saved results: text)


class SettingNote(_Frozen):
    """A firm-policy setting as the assessment used it: value, shipped default, whether the firm confirmed it,
    the duty it sets a value for and the rules whose thresholds use it."""

    name: str
    value: Any
    default: Any
    is_default: bool
    confirmed: bool
    requirement: str
    duty: LocalizedText
    rules: tuple[str, ...] = ()


class AdoptedPractice(_Frozen):
    """A good-practice rule the firm adopted as its policy (its failures decide provisions)."""

    rule_id: str
    adopted_by: str
    adopted_at: datetime


class ClauseNote(_Frozen):
    """A weaker clause (宜/可) or a good practice judged by findings beside a provision's verdict, which it
    does not decide: its level, the basis of its rules, whether it is met, not met, mixed or open."""

    level: Level
    basis: Basis
    state: str  # met | not_met | mixed | open
    rules: tuple[str, ...]
    failing: tuple[FindingRef, ...] = ()


class EvidenceProblemKind(StrEnum):
    """Why an evidence file failed verification."""

    MODIFIED = "modified"  # the stored file no longer hashes to its name: changed on disk
    MISSING = "missing"  # the stored file is gone
    UNREGISTERED = "unregistered"  # a file in the store that no record registered

    @property
    def label(self) -> LocalizedText:
        """The problem in both languages."""
        return EVIDENCE_PROBLEM_LABELS[self]


EVIDENCE_PROBLEM_LABELS: dict[EvidenceProblemKind, LocalizedText] = {
    EvidenceProblemKind.MODIFIED: LocalizedText.model_validate(
        {"zh-TW": "檔案內容已遭變更（雜湊值不符）", "en": "changed on disk (hash mismatch)"}),
    EvidenceProblemKind.MISSING: LocalizedText.model_validate(
        {"zh-TW": "檔案遺失", "en": "missing from the evidence store"}),
    EvidenceProblemKind.UNREGISTERED: LocalizedText.model_validate(
        {"zh-TW": "證據庫中有未登錄之檔案", "en": "in the store but not registered"}),
}


class FailedEvidence(_Frozen):
    """An input of the engine: an evidence file that failed verification before the assessment."""

    sha256: str
    problem: EvidenceProblemKind
    name: str | None = None
    detail: LocalizedText | None = None
    register_records: tuple[str, ...] = ()  # register records citing the file ("kind/key (field)")


class EvidenceIntegrity(_Frozen):
    """An evidence file that failed verification, and the records that cite it (whose evidence it no
    longer is)."""

    sha256: str
    problem: EvidenceProblemKind
    name: str | None = None
    detail: LocalizedText | None = None
    attestation_ids: tuple[str, ...] = ()
    exception_ids: tuple[str, ...] = ()
    requirements: tuple[str, ...] = ()
    register_records: tuple[str, ...] = ()


class EvidenceItem(_Frozen):
    """An evidence file that supports a requirement, named by its SHA-256; ``problem`` is set when the
    file failed verification (it is then listed but does not count as evidence)."""

    sha256: str
    name: str
    size: int
    source: str
    problem: EvidenceProblemKind | None = None


class RequirementResult(_Frozen):
    """The status of one requirement with everything that led to it."""

    id: str
    parent: str | None
    children: tuple[str, ...] = ()
    chapter: int
    article: int
    domain: str
    level: Level
    title: LocalizedText
    text: LocalizedText
    status: ComplianceStatus
    applies: bool | None = Field(default=True, description="False: not applicable (scope or attestation); "
                                 "None: a scope question is unanswered")
    applicability: tuple[LocalizedText, ...] = ()
    reasons: tuple[Reason, ...] = ()
    open_findings: tuple[FindingRef, ...] = ()
    passing_rules: tuple[str, ...] = ()
    evidence: tuple[EvidenceItem, ...] = ()
    attestation_ids: tuple[str, ...] = ()
    exception_ids: tuple[str, ...] = ()
    scans: tuple[str, ...] = Field(default=(), description="the recorded scans whose current findings bear on it")
    clauses: tuple[ClauseNote, ...] = Field(default=(), description="weaker clauses and good practices judged "
                                            "beside the verdict, which they do not decide")
    label: LocalizedText | None = Field(default=None, description="the combined label, e.g. 應 部分符合；宜 未採行")


class RecordRef(_Frozen):
    """An attestation or exception the assessment considered, and whether it was live on the day."""

    kind: str  # "attestation" or "exception"
    id: str
    requirement: str
    status: str  # the attested status, or "exception"
    by: str  # who attested, or who approved
    on: date
    expires_on: date | None
    live: bool
    statement: str
    evidence_sha256: tuple[str, ...] = ()
    rule_ids: tuple[str, ...] = ()


class RollUp(_Frozen):
    """Counts and a weighted score for a group of requirements (an article, chapter, domain or all)."""

    key: str
    title: LocalizedText
    counts: dict[ComplianceStatus, int]
    status: ComplianceStatus
    score: float | None = Field(description="0–100 over applicable requirements; None when none applies")
    coverage: float | None = Field(description="share (0–100) of applicable weight that was assessed")


class ScanRef(_Frozen):
    """A recorded scan as the assessment saw it: what ran, its state, and whether it was voided (and why).
    Failed and voided scans are listed because an inspector must see what was left out, not only what
    counted."""

    id: str
    scanner: str
    subject: str
    recorded_at: datetime
    state: str  # complete | partial | failed
    counted: bool  # whether any of its findings are current (counted in this assessment)
    voided_at: datetime | None = None
    voided_by: str | None = None
    void_reason: str | None = None
    note: LocalizedText | None = None  # e.g. an import's rules with no mapping


class AssessmentResult(_Frozen):
    """The assessment of one organization against one catalog edition on one day."""

    edition: str
    organization: str | None
    assessed_on: date
    generated_at: datetime
    weights: dict[Level, int]
    requirements: tuple[RequirementResult, ...]
    articles: tuple[RollUp, ...]
    chapters: tuple[RollUp, ...]
    domains: tuple[RollUp, ...]
    overall: RollUp
    unmatched_findings: tuple[FindingRef, ...] = ()
    records: tuple[RecordRef, ...] = ()
    inputs: dict[str, int] = Field(default_factory=dict)
    evidence_checked: bool = Field(default=False, description="whether the evidence files were verified "
                                   "before assessing (older saved assessments: False)")
    evidence_integrity: tuple[EvidenceIntegrity, ...] = ()
    scans: tuple[ScanRef, ...] = ()
    unconfirmed_settings: tuple[SettingNote, ...] = Field(default=(), description="firm-policy settings whose "
                                                          "value in force the firm has not confirmed")
    adopted_practices: tuple[AdoptedPractice, ...] = ()

    def requirement(self, requirement_id: str) -> RequirementResult:
        """The result for ``requirement_id``; KeyError when the catalog has no such requirement."""
        for result in self.requirements:
            if result.id == requirement_id:
                return result
        raise KeyError(requirement_id)

    def status_of(self) -> dict[str, ComplianceStatus]:
        """Requirement ID → status."""
        return {r.id: r.status for r in self.requirements}
