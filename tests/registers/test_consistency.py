"""Records that point at nothing become errors of the register-check run, with the field named."""

from __future__ import annotations

from datetime import date

from csmguard.catalog.model import Catalog
from csmguard.registers.check_settings import RegisterCheckSettings
from csmguard.registers.checks import run_checks
from csmguard.rules.loader import load_rules
from tests.registers.facts import facts_from


def test_dangling_references_are_errors(catalog: Catalog) -> None:
    facts = facts_from({
        "cloud-providers": [{"name": "Acme Cloud", "recovery_time_hours": 4}],
        "cloud-services": [{"name": "VMs", "provider": "Acme Cloud", "model": "iaas", "critical": True},
                           {"name": "CRM", "provider": "Acme  Cloud", "model": "saas", "critical": False}],
        "sla-reports": [{"provider": "ACME", "period": "2026-05", "received_on": "2026-06-03"}],
        "deletion-certificates": [{"service": "Old VMs", "provider": "Acme Cloud", "issued_on": "2026-01-01"}],
        "app-releases": [{"app_id": "tw.unknown", "version": "1.0", "scan_outcome": "passed"}],
        "byod-agreements": [{"holder": "Amy", "device_id": "BY-9", "valid_from": "2026-01-01",
                             "valid_until": "2026-12-31"}],
    })
    rules = load_rules(catalog, ["register"])
    result = run_checks(rules, facts, RegisterCheckSettings(), date(2026, 6, 30))
    assert sorted((e.target, e.field) for e in result.errors) == [
        ("app-releases/tw.unknown/1.0", "app_id"),
        ("byod-agreements/Amy/BY-9", "device_id"),
        ("cloud-services/CRM", "provider"),
        ("deletion-certificates/Old VMs", "service"),
        ("sla-reports/ACME/2026-05", "provider"),
    ]
    assert all("not in the" in e.message for e in result.errors)
    assert result.to_json_dict()["errors"][0]["field"]
