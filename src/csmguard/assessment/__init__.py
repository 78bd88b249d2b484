"""The assessment engine: catalog × scope × findings × attestations × exceptions → statuses with reasons."""

from __future__ import annotations

from csmguard.assessment.diff import AssessmentDiff, RequirementChange, diff_assessments
from csmguard.assessment.engine import assess, dedupe_findings
from csmguard.assessment.model import (
    AdoptedPractice,
    AssessmentResult,
    ComplianceStatus,
    EvidenceIntegrity,
    EvidenceItem,
    EvidenceProblemKind,
    FailedEvidence,
    FindingRef,
    Reason,
    ReasonKind,
    RequirementResult,
    RollUp,
    ScanRef,
    SettingNote,
)
from csmguard.assessment.rollup import DEFAULT_WEIGHTS, combine

__all__ = [
    "DEFAULT_WEIGHTS",
    "AdoptedPractice",
    "AssessmentDiff",
    "AssessmentResult",
    "ComplianceStatus",
    "EvidenceIntegrity",
    "EvidenceItem",
    "EvidenceProblemKind",
    "FailedEvidence",
    "FindingRef",
    "Reason",
    "ReasonKind",
    "RequirementChange",
    "RequirementResult",
    "RollUp",
    "ScanRef",
    "SettingNote",
    "assess",
    "combine",
    "dedupe_findings",
    "diff_assessments",
]
