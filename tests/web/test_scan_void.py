"""Voiding a scan from the web app: the engineer who may run scans sees no void form and is refused (403);
a compliance officer voids it with a reason; the page then says who voided it, when and why."""

from __future__ import annotations

from fastapi.testclient import TestClient

from csmguard.auth.roles import Role
from csmguard.catalog.loader import load_catalog
from csmguard.domain import FindingStatus, ScanResult, Target
from csmguard.domain.coverage import Coverage
from csmguard.rules.loader import load_rules
from csmguard.services import audit
from csmguard.services.workspace import latest_findings, list_scans, record_scan
from csmguard.store.db import session_scope
from csmguard.workspace import Workspace
from tests.web.conftest import csrf_of


def _record(workspace: Workspace) -> str:
    rule = load_rules(load_catalog(), ["iac"]).get("IAC-001")
    finding = rule.finding(FindingStatus.FAIL, Target(kind="iac-resource", id="aws_ebs_volume.a"),
                           message="on_resource", values={"resource": "aws_ebs_volume.a", "detail": "not encrypted"})
    return record_scan(workspace, ScanResult(scanner="iac", targets=("infra",), findings=(finding,),
                                             coverage=Coverage(recognised={"iac-resource": 1})))


def test_only_compliance_editors_void_and_the_page_says_so(clients: dict[Role, TestClient],
                                                            workspace: Workspace) -> None:
    scan_id = _record(workspace)
    engineer, officer = clients[Role.ENGINEER], clients[Role.COMPLIANCE_OFFICER]
    page = engineer.get(f"/scans/{scan_id}")
    assert page.status_code == 200 and 'id="scan-void"' not in page.text
    refused = engineer.post(f"/scans/{scan_id}/void", data={"csrf_token": csrf_of(page.text), "reason": "x"})
    assert refused.status_code == 403
    assert latest_findings(workspace)

    page = officer.get(f"/scans/{scan_id}")
    assert 'id="scan-void"' in page.text
    done = officer.post(f"/scans/{scan_id}/void", data={"csrf_token": csrf_of(page.text),
                                                        "reason": "測試環境之掃描"})
    assert done.status_code == 303
    assert latest_findings(workspace) == []
    shown = officer.get(f"/scans/{scan_id}").text
    assert 'id="scan-voided"' in shown and "測試環境之掃描" in shown
    assert list_scans(workspace)[0]["voided"]["by"] == "complianceofficer"
    again = officer.post(f"/scans/{scan_id}/void", data={"csrf_token": csrf_of(page.text), "reason": "again"})
    assert again.status_code == 409
    with session_scope(workspace.engine()) as session:
        actions = [e.action for e in audit.iter_entries(session)]
    assert actions.count("scan.void") == 1
