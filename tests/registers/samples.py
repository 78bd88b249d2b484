"""A fully filled record of every register (every field set, lists with two items, times with minutes),
used by round-trip and import tests. ``EVIDENCE`` is the content whose SHA-256 the records cite."""

from __future__ import annotations

import hashlib
from typing import Any

EVIDENCE = "稽核報告 audit report 2026".encode()
SHA = hashlib.sha256(EVIDENCE).hexdigest()

SAMPLES: dict[str, list[dict[str, Any]]] = {
    "profile": [
        {"question": "uses_external_cloud", "answer": True, "note": "AWS 與 Microsoft 365"},
        {"question": "allows_byod", "answer": False},
    ],
    "cloud-services": [
        {"name": "下單系統備援", "provider": "Acme Cloud", "model": "iaas", "critical": True,
         "data_classification": "confidential", "deployment": "external", "status": "terminated",
         "started_on": "2023-01-01", "terminated_on": "2026-03-31", "notes": "DR site, moved in-house"},
        {"name": "Mail", "provider": "Soft Co", "model": "saas", "critical": False},
    ],
    "cloud-providers": [
        {"name": "Acme Cloud", "service_level": "99.95%, SOC 2", "redundancy_backup": "multi-region, daily",
         "recovery_time_hours": 4.5, "star_level": "2", "star_award": "gold", "star_expiry": "2027-03-31",
         "other_certifications": "ISO 27001; ISO 27017", "audit_rights": True, "last_audit_on": "2025-11-01",
         "last_audit_kind": "on_site", "next_audit_due": "2026-11-01", "audit_reports": SHA,
         "contract_start": "2023-01-01"},
    ],
    "sla-reports": [
        {"provider": "Acme Cloud", "period": "2026-05", "received_on": "2026-06-05", "all_metrics_met": False,
         "notes": "API latency missed", "document": SHA},
        {"provider": "Acme Cloud", "period": "2026-Q1", "received_on": "2026-04-10"},
    ],
    "provider-incidents": [
        {"provider": "Acme Cloud", "reference": "INC-2026-007", "occurred_at": "2026-03-01 08:15",
         "notified_at": "2026-03-02 09:45", "agreed_notification_hours": 24, "summary": "帳號外洩 credential leak",
         "resolved": True, "last_update_on": "2026-03-05", "isolation_failure": False},
    ],
    "vm-image-changes": [
        {"service": "下單系統備援", "image": "ami-123", "changed_on": "2026-02-01", "change": "memory 8→16 GB",
         "log_received_on": "2026-02-03"},
    ],
    "isolation-statements": [
        {"service": "下單系統備援", "provider": "Acme Cloud", "received_on": "2025-01-15", "document": SHA},
    ],
    "deletion-certificates": [
        {"service": "下單系統備援", "provider": "Acme Cloud", "issued_on": "2026-04-20", "covers_backups": True,
         "document": SHA},
    ],
    "social-accounts": [
        {"platform": "facebook", "handle": "acme.securities", "url": "https://www.facebook.com/acme.securities",
         "official": True, "shows_org_name": True, "shows_contact": False,
         "administrators": "王小明=owner; 李大華=editor", "mfa": True, "content_approval": True,
         "privacy_policy_url": "https://www.facebook.com/privacy/policy", "privacy_policy_reviewed_on": "2026-01-05",
         "operated_since": "2023-04-01", "privacy_policy_understood_on": "2023-03-20"},
    ],
    "social-risk-assessments": [
        {"platform_type": "即時通訊 instant messaging", "allowed_to_staff": True, "data_leakage_risk": "high",
         "social_engineering_risk": "high", "malware_risk": "medium", "controls": "training; DLP",
         "assessed_on": "2026-02-01", "next_review": "2027-02-01"},
    ],
    "policies": [
        {"kind": "social_media_use", "title": "社群媒體使用政策", "version": "2.1", "approved": True,
         "approved_on": "2026-01-10", "next_review": "2027-01-10", "document": SHA},
    ],
    "devices": [
        {"device_id": "PH-0001", "owner": "王小明", "department": "資訊部", "ownership": "byod",
         "holds_sensitive_data": True, "platform": "iOS", "os_version": "17.5", "mdm_managed": True,
         "status": "reassigned", "status_changed_on": "2026-05-02", "reassigned_to": "陳小美"},
    ],
    "staff-changes": [
        {"person": "王小明", "change": "move", "effective_on": "2026-05-01", "from_department": "資訊部",
         "to_department": "稽核室", "devices_reconfigured_on": "2026-05-03"},
    ],
    "byod-agreements": [
        {"holder": "王小明", "device_id": "PH-0001", "permitted_purposes": "email; calendar",
         "data_types": "internal; customer contact", "valid_from": "2026-01-01", "valid_until": "2026-12-31",
         "signed_on": "2025-12-28", "last_review": "2026-06-01"},
    ],
    "apps": [
        {"app_id": "tw.acme.trade", "name": "Acme 行動下單", "platform": "android",
         "store_ids": "tw.acme.trade; https://play.google.com/store/apps/details?id=tw.acme.trade",
         "source_available": False, "vendor": "App Vendor Ltd"},
    ],
    "app-releases": [
        {"app_id": "tw.acme.trade", "version": "3.2.0", "released_on": "2026-06-01", "scan_outcome": "passed",
         "scanned_on": "2026-05-28", "scan_report": SHA, "vendor_evidence": [SHA], "notes": "MobSF + CSM Guard"},
    ],
}
