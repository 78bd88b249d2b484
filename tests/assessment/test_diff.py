"""``diff_assessments``: what changed per requirement between two assessments."""

from __future__ import annotations

from datetime import date

from csmguard.assessment import ComplianceStatus, assess, diff_assessments
from csmguard.catalog.loader import load_catalog
from csmguard.domain import FindingStatus
from tests.assessment.factory import ALL_YES, TODAY, attestation, exception, finding


def test_diff_names_status_changes_findings_attestations_and_exceptions() -> None:
    catalog = load_catalog()
    fail = finding("APP-001", "CSM-16.3")
    old = assess(catalog, ALL_YES, [fail, finding("REG-001", "CSM-4.3")], [attestation("CSM-14.1")], [],
                 date(2026, 5, 1))
    fixed = finding("APP-001", "CSM-16.3", FindingStatus.PASS)
    new = assess(catalog, ALL_YES, [fixed, finding("REG-001", "CSM-4.3"), finding("DEV-001", "CSM-14.3")],
                 [attestation("CSM-14.1")], [exception("CSM-4.3")], TODAY)
    diff = diff_assessments(old, new)
    by_id = {c.id: c for c in diff.changes}
    assert set(by_id) == {"CSM-16.3", "CSM-4.3", "CSM-14.3"}
    app = by_id["CSM-16.3"]
    assert (app.before, app.after) == (ComplianceStatus.NON_COMPLIANT, ComplianceStatus.COMPLIANT)
    assert app.resolved_findings == (f"APP-001:{fail.fingerprint}",) and app.new_findings == ()
    provider = by_id["CSM-4.3"]
    assert (provider.before, provider.after) == (ComplianceStatus.NON_COMPLIANT, ComplianceStatus.PARTIALLY_COMPLIANT)
    assert provider.exceptions_added == ("EXC-1",)
    assert len(provider.resolved_findings) == 1  # now covered by the exception, so no longer open
    device = by_id["CSM-14.3"]
    assert (device.before, device.after) == (ComplianceStatus.NOT_ASSESSED, ComplianceStatus.NON_COMPLIANT)
    assert len(device.new_findings) == 1
    assert diff.unchanged == len(new.requirements) - 3
    overall = diff.scores[0]
    assert overall.key == "overall" and overall.after is not None and overall.before is not None
    assert overall.after > overall.before


def test_identical_assessments_have_no_changes() -> None:
    catalog = load_catalog()
    result = assess(catalog, ALL_YES, [finding("APP-001", "CSM-16.3")], [], [], TODAY)
    diff = diff_assessments(result, result)
    assert diff.changes == () and diff.unchanged == len(result.requirements)
    assert all(s.before == s.after for s in diff.scores)


def test_attestation_expiring_between_runs_shows_as_removed() -> None:
    catalog = load_catalog()
    att = attestation("CSM-14.1", expires_on=date(2026, 10, 1))
    before = assess(catalog, ALL_YES, [], [att], [], date(2026, 9, 1))
    after = assess(catalog, ALL_YES, [], [att], [], TODAY)
    change = diff_assessments(before, after).changes[0]
    assert change.id == "CSM-14.1" and change.attestations_removed == ("ATT-1",)
    assert (change.before, change.after) == (ComplianceStatus.COMPLIANT, ComplianceStatus.NOT_ASSESSED)
