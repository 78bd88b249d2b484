"""CI uploads through the API with scoped tokens; evidence uploads; finding triage; bilingual strings."""

from __future__ import annotations

import hashlib
import re
from datetime import date, timedelta
from importlib import resources

from fastapi.testclient import TestClient

from csmguard.auth.roles import Role, TokenScope
from csmguard.catalog.model import CheckMethod, Domain
from csmguard.domain import FindingStatus, ScanResult, Severity, Target, make_fingerprint, text
from csmguard.domain.attestation import AttestedStatus
from csmguard.domain.coverage import ScanState
from csmguard.domain.finding import Finding, Location
from csmguard.domain.signoff import SignoffStep
from csmguard.notify.channels import WebhookKind
from csmguard.notify.events import EventKind
from csmguard.services import approvals
from csmguard.services.assessment import diff_saved
from csmguard.services.tasks import TaskState
from csmguard.services.workspace import latest_findings, list_evidence, list_exceptions
from csmguard.web.i18n import MESSAGES
from csmguard.web.routes.scans import UploadKind
from csmguard.workspace import Workspace
from tests.web.conftest import csrf_of


def _scan_json(rule_id: str = "APP-014", requirement: str = "CSM-16.3") -> dict[str, object]:
    target = Target(kind="app", id="tw.example.trade")
    location = Location(path="AndroidManifest.xml")
    finding = Finding(rule_id=rule_id, status=FindingStatus.FAIL, severity=Severity.HIGH,
                      requirements=(requirement,), title=text("可除錯", "Debuggable"),
                      message=text("應用程式可除錯", "The app is debuggable"), target=target, location=location,
                      fingerprint=make_fingerprint(rule_id, target, location))
    return ScanResult(scanner="app", targets=("trade.apk",), findings=(finding,)).to_json_dict()


def _new_token(client: TestClient, scopes: list[str]) -> str:
    page = client.get("/tokens")
    created = client.post("/tokens", data={"csrf_token": csrf_of(page.text), "name": "ci", "scopes": scopes})
    assert created.status_code == 200, created.text
    match = re.search(r'id="new-token">([^<]+)<', created.text)
    assert match
    return match.group(1)


def test_ci_uploads_a_scan_with_a_token_until_revoked(clients: dict[Role, TestClient], workspace: Workspace) -> None:
    engineer = clients[Role.ENGINEER]
    token = _new_token(engineer, ["scans:write"])
    api = clients[Role.AUDITOR]  # any client: the API ignores cookies and reads the bearer token
    response = api.post("/api/scans?subject=trade-app", json=_scan_json(),
                        headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 201, response.text
    assert response.json()["findings"] == 1
    [finding] = latest_findings(workspace)
    assert (finding.rule_id, finding.requirements) == ("APP-014", ("CSM-16.3",))
    page = clients[Role.AUDITOR].get("/catalog/CSM-16.3")
    assert "APP-014" in page.text and "應用程式可除錯" in page.text
    bad = api.post("/api/scans", json=_scan_json(requirement="CSM-99"), headers={"Authorization": f"Bearer {token}"})
    assert bad.status_code == 422 and "unknown requirement CSM-99" in bad.text
    assert api.post("/api/scans", json=_scan_json(), headers={"Authorization": "Bearer csmg_wrong"}).status_code == 401
    for body in (b"{not json", b'{"scanner": 5}', b"[]"):  # parsed in a worker thread: a 422 naming the problem
        malformed = api.post("/api/scans", content=body, headers={"Authorization": f"Bearer {token}",
                                                                 "Content-Type": "application/json"})
        assert malformed.status_code == 422 and malformed.json()["detail"], body
    tokens = engineer.get("/tokens")
    token_id = re.search(r'action="/tokens/(\d+)/revoke"', tokens.text)
    assert token_id
    engineer.post(f"/tokens/{token_id.group(1)}/revoke", data={"csrf_token": csrf_of(tokens.text)})
    again = api.post("/api/scans", json=_scan_json(), headers={"Authorization": f"Bearer {token}"})
    assert again.status_code == 401


def test_token_without_the_scope_and_for_other_roles(clients: dict[Role, TestClient]) -> None:
    read_only = _new_token(clients[Role.ENGINEER], ["read"])
    refused = clients[Role.ENGINEER].post("/api/scans", json=_scan_json(),
                                          headers={"Authorization": f"Bearer {read_only}"})
    assert refused.status_code == 401
    assert clients[Role.COMPLIANCE_OFFICER].get("/tokens").status_code == 403


def test_evidence_upload_hashes_and_refusals(clients: dict[Role, TestClient], workspace: Workspace) -> None:
    officer = clients[Role.COMPLIANCE_OFFICER]
    page = officer.get("/evidence")
    content = b"%PDF-1.4\n% a contract\n%%EOF\n"
    ok = officer.post("/evidence", data={"csrf_token": csrf_of(page.text)},
                      files={"file": ("contract.pdf", content, "application/pdf")})
    assert ok.status_code == 200
    sha = hashlib.sha256(content).hexdigest()
    assert [(e.name, e.sha256) for e in list_evidence(workspace)] == [("contract.pdf", sha)]
    download = officer.get(f"/evidence/{sha}")
    assert download.content == content and download.headers["x-evidence-sha256"] == sha
    # a PDF that is not one, an executable, and a file over the 2 MB limit: clear messages, nothing kept
    fake = officer.post("/evidence", data={"csrf_token": csrf_of(page.text)},
                        files={"file": ("scan.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")})
    assert fake.status_code == 400 and "the content is not PDF" in fake.text
    exe = officer.post("/evidence", data={"csrf_token": csrf_of(page.text)},
                       files={"file": ("tool.exe", b"MZ", "application/octet-stream")})
    assert exe.status_code == 400 and "不支援的檔案類型" in exe.text
    big = officer.post("/evidence", data={"csrf_token": csrf_of(page.text)},
                       files={"file": ("big.txt", b"x" * (2 * 1024 * 1024 + 10), "text/plain")})
    assert big.status_code == 400 and "上傳檔案過大（上限 2 MB）" in big.text
    huge = officer.post("/evidence", data={"csrf_token": csrf_of(page.text)},
                        files={"file": ("huge.txt", b"x" * (4 * 1024 * 1024), "text/plain")})
    assert huge.status_code == 413 and "too large" in huge.text
    assert [e.sha256 for e in list_evidence(workspace)] == [sha]
    root = workspace.evidence_dir
    stored = [p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()]
    assert stored == [f"{sha[:2]}/{sha[2:]}"]
    check = officer.get("/evidence/check")
    assert "所有佐證檔案的雜湊值均相符" in check.text


def test_triage_suppress_and_accept_risk(clients: dict[Role, TestClient], workspace: Workspace) -> None:
    engineer = clients[Role.ENGINEER]
    token = _new_token(engineer, ["scans:write"])
    engineer.post("/api/scans", json=_scan_json(), headers={"Authorization": f"Bearer {token}"})
    fingerprint = latest_findings(workspace)[0].fingerprint
    page = engineer.get("/findings")
    assert "APP-014" in page.text
    until = (date.today() + timedelta(days=30)).isoformat()
    suppressed = engineer.post(f"/findings/{fingerprint}/suppress",
                               data={"csrf_token": csrf_of(page.text), "reason": "test build only",
                                     "expires_on": until})
    assert suppressed.status_code == 303
    assert "APP-014" not in engineer.get("/findings").text
    assert "test build only" in engineer.get("/findings?suppressed=true").text
    # accepting a risk is a compliance decision: engineers may not, officers may
    refused = engineer.post(f"/findings/{fingerprint}/accept", data={
        "csrf_token": csrf_of(page.text), "reason": "r" * 5, "compensating_controls": "c" * 5, "expires_on": until})
    assert refused.status_code == 403
    officer = clients[Role.COMPLIANCE_OFFICER]
    officer_page = officer.get("/findings?suppressed=true")
    accepted = officer.post(f"/findings/{fingerprint}/accept", data={
        "csrf_token": csrf_of(officer_page.text), "reason": "legacy build retired in Q1",
        "compensating_controls": "MDM blocks side-loading", "expires_on": until})
    assert accepted.status_code == 303 and accepted.headers["location"] == "/approvals"
    assert list_exceptions(workspace) == []  # requested: it counts once a second person approves it
    [request] = approvals.list_all(workspace, state="requested")
    assert (request.kind, request.requested_by) == ("accepted_risk", "complianceofficer")
    approver = clients[Role.APPROVER]
    decided = approver.post(f"/approvals/exceptions/{request.id}/approve",
                            data={"csrf_token": csrf_of(approver.get("/approvals").text)})
    assert decided.status_code == 303
    [exception] = list_exceptions(workspace)
    assert (exception.requirement, exception.rule_ids, exception.approver) == ("CSM-16.3", ("APP-014",), "approver")


def test_every_message_is_bilingual_and_every_template_key_exists() -> None:
    for key, (zh_tw, en) in MESSAGES.items():
        assert zh_tw.strip() and en.strip(), key
        assert re.findall(r"\{(\w+)\}", zh_tw) == re.findall(r"\{(\w+)\}", en) or \
            sorted(re.findall(r"\{(\w+)\}", zh_tw)) == sorted(re.findall(r"\{(\w+)\}", en)), key
    folder = resources.files("csmguard.web").joinpath("templates")
    used: set[str] = set()
    for template in _walk(folder):
        used |= set(re.findall(r"""\bt\(["']([a-z_:.]+)["']""", template))
    assert used, "no t() calls found"
    prefixes = {key for key in used if key.endswith("_")}
    assert sorted(used - prefixes - set(MESSAGES)) == []
    # keys built from a prefix and a value: every value of its enumeration has a message
    families: dict[str, list[str]] = {
        "domain_": [d.value for d in Domain], "role_": [r.value for r in Role],
        "finding_": [s.value for s in FindingStatus], "severity_": [s.value for s in Severity],
        "level_": ["shall", "should", "may"], "scan_kind_": [k.value for k in UploadKind],
        "job_": ["queued", "running", "done", "failed"], "scope_": [s.value for s in TokenScope],
        "attested_": [s.value for s in AttestedStatus], "check_": [c.value for c in CheckMethod],
        "scan_state_": [s.value for s in ScanState], "task_state_": [s.value for s in TaskState],
        "exception_state_": ["requested", "approved", "rejected", "renewed"],
        "exception_kind_": list(approvals.KINDS), "signoff_step_": [s.value for s in SignoffStep],
        "signoff_": ["submit", "review", "approve"],
        "notify_webhook_": [k.value for k in WebhookKind], "notify_event_": [k.value for k in EventKind],
    }
    assert prefixes <= set(families)
    missing = [prefix + value for prefix in prefixes for value in families[prefix] if prefix + value not in MESSAGES]
    assert missing == []


def _walk(folder: object) -> list[str]:
    texts = []
    for item in folder.iterdir():  # type: ignore[attr-defined]
        if item.is_dir():
            texts.extend(_walk(item))
        elif item.name.endswith(".html"):
            texts.append(item.read_text(encoding="utf-8"))
    return texts


def test_language_switch(clients: dict[Role, TestClient]) -> None:
    auditor = clients[Role.AUDITOR]
    assert '<html lang="zh-TW">' in auditor.get("/catalog").text
    switched = auditor.get("/lang/en?next=/catalog")
    assert switched.headers["location"] == "/catalog"
    page = auditor.get("/catalog")
    assert '<html lang="en">' in page.text and "Catalog and compliance status" in page.text
    assert auditor.get("/lang/en?next=https://evil.example/").headers["location"] == "/"


def test_requirement_page_follows_each_new_scan(clients: dict[Role, TestClient]) -> None:
    engineer = clients[Role.ENGINEER]
    token = _new_token(engineer, ["scans:write"])
    headers = {"Authorization": f"Bearer {token}"}
    engineer.post("/api/scans?subject=trade-app", json=_scan_json("APP-014"), headers=headers)
    first = _findings_table(engineer.get("/catalog/CSM-16.3").text)
    assert "APP-014" in first
    # the same app scanned again: its latest scan replaces the earlier one on the page
    engineer.post("/api/scans?subject=trade-app", json=_scan_json("APP-013"), headers=headers)
    second = _findings_table(engineer.get("/catalog/CSM-16.3").text)
    assert "APP-013" in second and "APP-014" not in second


def _findings_table(html: str) -> str:
    return html.split('id="req-findings"')[1].split("</table>")[0]


def test_demoting_a_token_owner_revokes_the_token(clients: dict[Role, TestClient]) -> None:
    engineer = clients[Role.ENGINEER]
    token = _new_token(engineer, ["scans:write"])
    headers = {"Authorization": f"Bearer {token}"}
    assert engineer.post("/api/scans", json=_scan_json(), headers=headers).status_code == 201
    admin = clients[Role.ADMINISTRATOR]
    users = admin.get("/admin/users")
    engineer_id = re.search(r'id="user-engineer">.*?action="/admin/users/(\d+)"', users.text, re.S)
    assert engineer_id
    changed = admin.post(f"/admin/users/{engineer_id.group(1)}", data={
        "csrf_token": csrf_of(users.text), "operation": "role", "role": "auditor"})
    assert changed.status_code == 200
    assert engineer.post("/api/scans", json=_scan_json(), headers=headers).status_code == 401


def test_assessments_run_diff_and_reports(clients: dict[Role, TestClient], workspace: Workspace) -> None:
    officer = clients[Role.COMPLIANCE_OFFICER]
    page = officer.get("/assessments")
    first = officer.post("/assessments", data={"csrf_token": csrf_of(page.text)})
    assert first.status_code == 303
    token = _new_token(clients[Role.ENGINEER], ["scans:write"])
    clients[Role.ENGINEER].post("/api/scans", json=_scan_json(), headers={"Authorization": f"Bearer {token}"})
    second = officer.post("/assessments", data={"csrf_token": csrf_of(page.text)})
    older, newer = first.headers["location"].rsplit("/", 1)[1], second.headers["location"].rsplit("/", 1)[1]
    diff = officer.get(f"/assessments/diff?a={older}&b={newer}")
    assert diff.status_code == 200
    changed = diff.text.split('id="diff"')[1].split("</table>")[0]
    _a, _b, expected = diff_saved(workspace, older, newer)
    assert re.findall(r'<a href="/catalog/([^"]+)">', changed) == [c.id for c in expected.changes]
    assert f"{expected.unchanged} 項條文狀態未變" in diff.text
    assert officer.get("/").text.count("/assessments/") >= 2
    xlsx = clients[Role.AUDITOR].get(f"/reports/{newer}.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert clients[Role.AUDITOR].get("/reports/nothing.html").status_code == 404
