"""The dashboard and requirement pages are served from the app's page cache only while nothing they show
has changed: changes made outside the web app (straight through the services, as the CLI does, without
an audit entry) show on the very next request."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from fastapi.testclient import TestClient

from csmguard.auth.roles import Role
from csmguard.domain import FindingStatus, ScanResult, Severity, Target, make_fingerprint, text
from csmguard.domain.attestation import AttestedStatus
from csmguard.domain.finding import Finding, Location
from csmguard.services.assessment import run_assessment
from csmguard.services.workspace import (
    add_attestation,
    add_evidence,
    add_exception,
    delete_attestation,
    delete_exception,
    record_scan,
)
from csmguard.workspace import Workspace

REQUIREMENT = "CSM-16.3"


def _scan(rule_id: str) -> ScanResult:
    target = Target(kind="app", id="tw.example.trade")
    location = Location(path="AndroidManifest.xml")
    finding = Finding(rule_id=rule_id, status=FindingStatus.FAIL, severity=Severity.HIGH,
                      requirements=(REQUIREMENT,), title=text("可除錯", "Debuggable"),
                      message=text("應用程式可除錯", "The app is debuggable"), target=target, location=location,
                      fingerprint=make_fingerprint(rule_id, target, location))
    return ScanResult(scanner="app", targets=("trade.apk",), findings=(finding,))


def _page(client: TestClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.text
    return response.text


def _findings_table(html: str) -> str:
    return html.split('id="req-findings"')[1].split("</table>")[0] if 'id="req-findings"' in html else ""


def test_requirement_page_shows_each_change_made_outside_the_app(clients: dict[Role, TestClient],
                                                                  workspace: Workspace, tmp_path: Path) -> None:
    auditor = clients[Role.AUDITOR]
    path = f"/catalog/{REQUIREMENT}"
    first = _page(auditor, path)
    assert _page(auditor, path) == first  # nothing changed: the same page
    assert _findings_table(first) == ""

    record_scan(workspace, _scan("APP-014"), subject="trade-app")
    assert "APP-014" in _findings_table(_page(auditor, path))
    record_scan(workspace, _scan("APP-013"), subject="trade-app")
    table = _findings_table(_page(auditor, path))
    assert "APP-013" in table and "APP-014" not in table

    kept = add_attestation(workspace, requirement=REQUIREMENT, status=AttestedStatus.IMPLEMENTED,
                           statement="Kept statement alpha", attested_by="cli")
    assert "Kept statement alpha" in _page(auditor, path)
    # one added and one deleted between two requests: the count stays, the page still changes
    add_attestation(workspace, requirement=REQUIREMENT, status=AttestedStatus.IMPLEMENTED,
                    statement="Second statement beta", attested_by="cli")
    _page(auditor, path)
    delete_attestation(workspace, kept.id)
    add_attestation(workspace, requirement=REQUIREMENT, status=AttestedStatus.IMPLEMENTED,
                    statement="Third statement gamma", attested_by="cli")
    page = _page(auditor, path)
    assert "Kept statement alpha" not in page
    assert "Second statement beta" in page and "Third statement gamma" in page

    record = add_exception(workspace, requirement=REQUIREMENT, rationale="Vendor fix pending delta",
                           compensating_controls="Extra monitoring", approver="cli",
                           expires_on=date.today() + timedelta(days=30))
    assert "Vendor fix pending delta" in _page(auditor, path)
    delete_exception(workspace, record.id)
    assert "Vendor fix pending delta" not in _page(auditor, path)

    evidence = tmp_path / "policy-epsilon.pdf"
    evidence.write_bytes(b"%PDF-1.4 evidence")
    add_evidence(workspace, evidence)
    # the evidence list is part of the attestation form, which only editors see
    assert "policy-epsilon.pdf" in _page(clients[Role.COMPLIANCE_OFFICER], path)


def test_dashboard_shows_a_new_assessment_at_once(clients: dict[Role, TestClient], workspace: Workspace) -> None:
    auditor = clients[Role.AUDITOR]
    before = _page(auditor, "/")
    assert _page(auditor, "/") == before
    saved = run_assessment(workspace)
    assert saved.id is not None
    after = _page(auditor, "/")
    assert f"/assessments/{saved.id}" in after and f"/assessments/{saved.id}" not in before
    second = run_assessment(workspace)
    assert second.id is not None
    assert f"/assessments/{second.id}" in _page(auditor, "/")


def test_each_user_and_language_gets_its_own_page(clients: dict[Role, TestClient]) -> None:
    auditor, officer = clients[Role.AUDITOR], clients[Role.COMPLIANCE_OFFICER]
    path = f"/catalog/{REQUIREMENT}"
    auditor_page, officer_page = _page(auditor, path), _page(officer, path)
    assert 'action="/catalog/CSM-16.3/attestations"' in officer_page
    assert 'action="/catalog/CSM-16.3/attestations"' not in auditor_page
    assert auditor.get(f"/lang/en?next={path}").status_code == 303
    english = _page(auditor, path)
    assert english != auditor_page and '<html lang="en"' in english
