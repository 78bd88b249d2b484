"""Cross-register consistency: records that name a provider, service, app or device that is not in
its register. These are reported as errors of the register-check run, never passed over silently."""

from __future__ import annotations

from csmguard.domain import ScanError
from csmguard.registers.facts import RegisterFacts


def reference_errors(facts: RegisterFacts) -> list[ScanError]:
    """One error per record whose reference names nothing in the register it points to."""
    providers = {p.name for p in facts.providers}
    services = {s.name for s in facts.services}
    apps = {a.app_id for a in facts.apps}
    devices = {d.device_id for d in facts.devices}
    checks: list[tuple[str, str, str, set[str], list[tuple[str, str]]]] = [
        ("cloud-services", "provider", "cloud-providers", providers,
         [(s.key(), s.provider) for s in facts.services]),
        ("sla-reports", "provider", "cloud-providers", providers, [(r.key(), r.provider) for r in facts.sla_reports]),
        ("provider-incidents", "provider", "cloud-providers", providers,
         [(i.key(), i.provider) for i in facts.incidents]),
        ("isolation-statements", "service", "cloud-services", services,
         [(s.key(), s.service) for s in facts.isolation_statements]),
        ("deletion-certificates", "service", "cloud-services", services,
         [(c.key(), c.service) for c in facts.deletion_certificates]),
        ("vm-image-changes", "service", "cloud-services", services,
         [(v.key(), v.service) for v in facts.vm_image_changes]),
        ("app-releases", "app_id", "apps", apps, [(r.key(), r.app_id) for r in facts.app_releases]),
        ("byod-agreements", "device_id", "devices", devices, [(a.key(), a.device_id) for a in facts.byod_agreements]),
    ]
    errors: list[ScanError] = []
    for kind, field, other, known, references in checks:
        if not known and not references:
            continue
        for key, value in references:
            if value not in known:
                errors.append(ScanError(target=f"{kind}/{key}", field=field,
                                        message=f"refers to {value!r}, which is not in the {other} register; "
                                                "checks that need it cannot use this record"))
    return errors
