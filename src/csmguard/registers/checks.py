"""The register checks: an explicit registry of pure functions, and the run over every REG- rule."""

from __future__ import annotations

from datetime import UTC, date, datetime

from csmguard.domain import ScanResult
from csmguard.domain.coverage import Coverage
from csmguard.registers import checks_cloud as cloud
from csmguard.registers import checks_more as more
from csmguard.registers import checks_people as people
from csmguard.registers.check_helpers import CheckFn
from csmguard.registers.check_settings import RegisterCheckSettings
from csmguard.registers.consistency import reference_errors
from csmguard.registers.facts import RegisterFacts
from csmguard.rules.loader import RuleSet

CHECKS: dict[str, CheckFn] = {
    "provider_audit_overdue": cloud.provider_audit_overdue,
    "star_below_bronze_without_onsite_audit": cloud.star_below_bronze_without_onsite_audit,
    "no_contractual_recovery_time": cloud.no_contractual_recovery_time,
    "missing_sla_report": cloud.missing_sla_report,
    "incident_notified_late": cloud.incident_notified_late,
    "iaas_terminated_without_deletion_certificate": cloud.iaas_terminated_without_deletion_certificate,
    "official_account_without_name_or_contact": people.official_account_without_name_or_contact,
    "privacy_policy_review_stale": people.privacy_policy_review_stale,
    "social_media_policy_missing": people.social_media_policy_missing,
    "social_media_policy_missing_or_stale": people.social_media_policy_missing_or_stale,
    "departed_staff_device_not_wiped": people.departed_staff_device_not_wiped,
    "byod_agreement_missing_expired_or_unreviewed": people.byod_agreement_missing_expired_or_unreviewed,
    "app_release_without_scan_or_vendor_evidence": people.app_release_without_scan_or_vendor_evidence,
    "official_account_access_control": more.official_account_access_control,
    "social_platform_risk_not_assessed": more.social_platform_risk_not_assessed,
    "iaas_without_isolation_statement": more.iaas_without_isolation_statement,
    "sensitive_device_not_mdm_managed": more.sensitive_device_not_mdm_managed,
    "vm_image_change_record_missing": more.vm_image_change_record_missing,
    "byod_use_not_restricted": more.byod_use_not_restricted,
    "backup_mechanism_not_evaluated": cloud.backup_mechanism_not_evaluated,
    "incident_updates_overdue": cloud.incident_updates_overdue,
    "isolation_failure_notified_late": cloud.isolation_failure_notified_late,
    "privacy_policy_not_understood_in_advance": people.privacy_policy_not_understood_in_advance,
}


def run_checks(rules: RuleSet, facts: RegisterFacts, settings: RegisterCheckSettings, today: date,
               *, target: str = "registers") -> ScanResult:
    """Evaluate every active ``register`` rule over ``facts`` as of ``today``."""
    started = datetime.now(UTC)
    findings = []
    for rule in rules.for_scanner("register"):
        assert rule.check is not None, f"{rule.id}: register rules name a check function"
        findings.extend(CHECKS[rule.check](rule, facts, settings, today))
    counts = facts.counts()
    return ScanResult(scanner="register", targets=(target,), findings=tuple(findings),
                      errors=tuple(reference_errors(facts)),
                      coverage=Coverage(recognised={"register": len(counts)}),
                      stats={"records_read": counts, "records_total": sum(counts.values()),
                             "as_of": today.isoformat(), "rules": len(rules.for_scanner("register"))},
                      started_at=started, finished_at=datetime.now(UTC))
