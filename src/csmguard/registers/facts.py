"""What the register checks read: every register's records, and the organization's scope answers."""

from __future__ import annotations

from dataclasses import dataclass, field

from csmguard.registers import models as m


@dataclass(frozen=True)
class RegisterFacts:
    """The records of every register at one moment (tuples of typed records)."""

    answers: dict[str, bool] = field(default_factory=dict)
    services: tuple[m.CloudService, ...] = ()
    providers: tuple[m.CloudProvider, ...] = ()
    sla_reports: tuple[m.SlaReport, ...] = ()
    incidents: tuple[m.ProviderIncident, ...] = ()
    vm_image_changes: tuple[m.VmImageChangeLog, ...] = ()
    isolation_statements: tuple[m.IsolationStatement, ...] = ()
    deletion_certificates: tuple[m.DeletionCertificate, ...] = ()
    social_accounts: tuple[m.SocialAccount, ...] = ()
    social_risk_assessments: tuple[m.SocialRiskAssessment, ...] = ()
    policies: tuple[m.PolicyDocument, ...] = ()
    devices: tuple[m.MobileDevice, ...] = ()
    staff_changes: tuple[m.StaffChange, ...] = ()
    byod_agreements: tuple[m.ByodAgreement, ...] = ()
    apps: tuple[m.MobileApp, ...] = ()
    app_releases: tuple[m.AppRelease, ...] = ()

    def counts(self) -> dict[str, int]:
        """How many records of each register were read."""
        return {name: len(value) for name, value in vars(self).items() if isinstance(value, tuple)}


# register kind → the field of RegisterFacts that holds its records
FACT_FIELDS: dict[str, str] = {
    "cloud-services": "services",
    "cloud-providers": "providers",
    "sla-reports": "sla_reports",
    "provider-incidents": "incidents",
    "vm-image-changes": "vm_image_changes",
    "isolation-statements": "isolation_statements",
    "deletion-certificates": "deletion_certificates",
    "social-accounts": "social_accounts",
    "social-risk-assessments": "social_risk_assessments",
    "policies": "policies",
    "devices": "devices",
    "staff-changes": "staff_changes",
    "byod-agreements": "byod_agreements",
    "apps": "apps",
    "app-releases": "app_releases",
}
