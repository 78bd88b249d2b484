"""A scan result uploaded by CI (the JSON that ``csmguard scan … --format json`` prints), checked and turned
into a :class:`ScanResult` (used by the API and by the job that records it)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from csmguard.domain import Finding, ScanError, ScanResult
from csmguard.domain.coverage import Coverage
from csmguard.rules.model import SCANNER_FAMILIES

MAX_FINDINGS = 200_000


class ScanUpload(BaseModel):
    """The scan-result JSON that ``csmguard scan … --format json`` prints."""

    model_config = ConfigDict(extra="ignore")

    scanner: str = Field(min_length=1, max_length=32)
    targets: list[str] = Field(default_factory=list, max_length=10_000)
    findings: list[dict[str, Any]] = Field(default_factory=list, max_length=MAX_FINDINGS)
    errors: list[dict[str, Any]] = Field(default_factory=list, max_length=MAX_FINDINGS)
    stats: dict[str, Any] = Field(default_factory=dict)
    coverage: dict[str, Any] | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None


def to_scan_result(upload: ScanUpload, known_requirements: set[str]) -> ScanResult:
    """The upload as a ScanResult; ValueError naming the first bad finding or error."""
    if upload.scanner not in SCANNER_FAMILIES:
        raise ValueError(f"unknown scanner {upload.scanner!r}; known: {', '.join(sorted(SCANNER_FAMILIES))}")
    findings = []
    for index, item in enumerate(upload.findings):
        try:
            finding = Finding.model_validate(item)
        except ValidationError as exc:
            raise ValueError(f"findings[{index}]: {exc.errors()[0]['msg']} at {exc.errors()[0]['loc']}") from exc
        unknown = [r for r in finding.requirements if r not in known_requirements]
        if unknown:
            raise ValueError(f"findings[{index}]: unknown requirement {unknown[0]}")
        findings.append(finding)
    errors = []
    for index, item in enumerate(upload.errors):
        try:
            errors.append(ScanError.model_validate(item))
        except ValidationError as exc:
            raise ValueError(f"errors[{index}]: {exc.errors()[0]['msg']}") from exc
    stats = {k: v for k, v in upload.stats.items() if k != "status_counts"}
    try:
        declared = {k: v for k, v in (upload.coverage or {}).items() if k != "rules_examined"}  # derived, not input
        coverage = None if upload.coverage is None else Coverage.model_validate(declared)
    except ValidationError as exc:
        raise ValueError(f"coverage: {exc.errors()[0]['msg']} at {exc.errors()[0]['loc']}") from exc
    return ScanResult(scanner=upload.scanner, targets=tuple(upload.targets), findings=tuple(findings),
                      errors=tuple(errors), stats=stats, coverage=coverage,
                      started_at=upload.started_at or datetime.now(UTC), finished_at=upload.finished_at)
