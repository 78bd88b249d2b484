"""Pure types shared by every part of CSM Guard; this package imports nothing else of csmguard."""

from __future__ import annotations

from csmguard.domain.finding import Finding, FindingStatus, Location, Target, make_fingerprint, redact
from csmguard.domain.i18n import DEFAULT_LANG, Lang, LocalizedText, parse_lang, text
from csmguard.domain.ids import RequirementId, RuleId, check_requirement_id, requirement_sort_key
from csmguard.domain.levels import Basis, Level, Severity, strongest
from csmguard.domain.result import ScanError, ScanResult

__all__ = [
    "DEFAULT_LANG",
    "Basis",
    "Finding",
    "FindingStatus",
    "Lang",
    "Level",
    "LocalizedText",
    "Location",
    "RequirementId",
    "RuleId",
    "ScanError",
    "ScanResult",
    "Severity",
    "Target",
    "check_requirement_id",
    "make_fingerprint",
    "parse_lang",
    "redact",
    "requirement_sort_key",
    "strongest",
    "text",
]
