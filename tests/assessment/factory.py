"""Builders of real domain records for the assessment and report tests."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime

from csmguard.catalog.scope import ScopeProfile
from csmguard.domain import Finding, FindingStatus, Location, Severity, Target, make_fingerprint, text
from csmguard.domain.attestation import Attestation, AttestedStatus, EvidenceRef, ExceptionRecord

TODAY = date(2026, 11, 29)

ALL_YES = ScopeProfile(organization="範例證券股份有限公司", answers={
    "uses_external_cloud": True, "cloud_involves_critical": True, "uses_iaas": True,
    "staff_use_social_media": True, "runs_official_social_media": True, "website_links_to_social_media": True,
    "has_mobile_devices": True, "devices_store_sensitive_data": True, "allows_byod": True,
    "publishes_mobile_apps": True, "app_handles_transactions": True, "has_app_source": True,
})


def finding(rule_id: str, requirement: str | tuple[str, ...], status: FindingStatus = FindingStatus.FAIL, *,
            target: str = "app.apk", severity: Severity = Severity.MEDIUM,
            observed_at: datetime | None = None) -> Finding:
    """A finding of ``rule_id`` on ``target`` bearing on ``requirement``."""
    tgt = Target(kind="file", id=target)
    loc = Location(path=target)
    reqs = (requirement,) if isinstance(requirement, str) else requirement
    return Finding(rule_id=rule_id, status=status, severity=severity, requirements=reqs,
                   title=text(f"規則 {rule_id}", f"Rule {rule_id}"), message=text("訊息", "message"),
                   target=tgt, location=loc, fingerprint=make_fingerprint(rule_id, tgt, loc),
                   observed_at=observed_at or datetime(2026, 11, 1, tzinfo=UTC))


def evidence(name: str = "policy.pdf") -> EvidenceRef:
    """An evidence reference whose hash is that of its name."""
    return EvidenceRef(sha256=hashlib.sha256(name.encode()).hexdigest(), name=name, size=len(name))


def attestation(requirement: str, status: AttestedStatus = AttestedStatus.IMPLEMENTED, *, att_id: str = "ATT-1",
                with_evidence: bool = True, attested_on: date = date(2026, 6, 1),
                expires_on: date | None = date(2027, 6, 1)) -> Attestation:
    """An attestation on ``requirement``."""
    return Attestation(id=att_id, requirement=requirement, status=status, statement="已訂定並執行",
                       evidence=(evidence(),) if with_evidence else (), attested_by="王小明",
                       reviewer="李主任", attested_on=attested_on, expires_on=expires_on)


def exception(requirement: str, *, exc_id: str = "EXC-1", rule_ids: tuple[str, ...] = (),
              expires_on: date = date(2027, 1, 31)) -> ExceptionRecord:
    """An exception (compensating control) on ``requirement``."""
    return ExceptionRecord(id=exc_id, requirement=requirement, rationale="供應商尚未提供報告",
                           compensating_controls="每季自行檢視", approver="資安長", approved_on=date(2026, 2, 1),
                           expires_on=expires_on, rule_ids=rule_ids, evidence=(evidence("exception.pdf"),))
