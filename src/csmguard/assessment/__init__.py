"""The assessment engine: catalog × scope × findings × attestations × exceptions → statuses with reasons."""

from __future__ import annotations

from csmguard.assessment.diff import AssessmentDiff, RequirementChange, diff_assessments
from csmguard.assessment.engine import assess, dedupe_findings
from csmguard.assessment.model import (
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
)
from csmguard.assessment.rollup import DEFAULT_WEIGHTS, combine

__all__ = [
    "DEFAULT_WEIGHTS",
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
    "assess",
    "combine",
    "dedupe_findings",
    "diff_assessments",
]
