"""The workflow pages over HTTP: an approver cannot approve their own request (four-eyes, also when the form
is forged), overdue tasks are highlighted and filtered, sign-off steps out of order are refused, and the
report is offered with 民國 dates."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from fastapi.testclient import TestClient

from csmguard.auth.roles import Role
from csmguard.services import approvals, tasks
from csmguard.services.assessment import run_assessment
from csmguard.services.registers import add_record
from csmguard.services.workspace import add_evidence
from csmguard.workspace import Workspace
from tests.web.conftest import csrf_of


def test_an_approver_cannot_approve_their_own_request(clients: dict[Role, TestClient], workspace: Workspace) -> None:
    approver = clients[Role.APPROVER]
    own = approvals.request_exception(workspace, requirement="CSM-4.1", rationale="r", compensating_controls="c",
                                      expires_on=date.today() + timedelta(days=30), requested_by="approver")
    page = approver.get("/approvals")
    assert "須由另一位核准人員決定" in page.text and f"/approvals/exceptions/{own.id}/approve" not in page.text
    forged = approver.post(f"/approvals/exceptions/{own.id}/approve", data={"csrf_token": csrf_of(page.text)})
    assert forged.status_code == 400 and "four-eyes" in forged.text
    officer = clients[Role.COMPLIANCE_OFFICER]
    denied = officer.post(f"/approvals/exceptions/{own.id}/approve",
                          data={"csrf_token": csrf_of(officer.get("/approvals").text)})
    assert denied.status_code == 403
    admin = clients[Role.ADMINISTRATOR]
    done = admin.post(f"/approvals/exceptions/{own.id}/reject",
                      data={"csrf_token": csrf_of(admin.get("/approvals").text), "note": "no evidence"})
    assert done.status_code == 303 and approvals.list_all(workspace)[0].state == "rejected"


def test_overdue_tasks_are_highlighted_and_filtered(clients: dict[Role, TestClient], workspace: Workspace) -> None:
    late = tasks.open_for_requirement(workspace, "CSM-4.1", actor="t", owner="engineer",
                                      due_on=date.today() - timedelta(days=2))
    tasks.open_for_requirement(workspace, "CSM-5.1", actor="t", owner="engineer",
                               due_on=date.today() + timedelta(days=20))
    engineer = clients[Role.ENGINEER]
    mine = engineer.get("/tasks").text
    assert f'id="task-{late.id[:8]}" class="overdue"' in mine and "已逾期" in mine
    assert mine.count('data-task="') == 2
    overdue = engineer.get("/tasks?mine=false&overdue=true").text
    assert overdue.count('data-task="') == 1
    assert engineer.get("/tasks?mine=false&article=CSM-5").text.count('data-task="') == 1
    assert clients[Role.AUDITOR].get("/tasks?mine=false").text.count('data-task="') == 2
    page = engineer.get("/tasks?mine=false")
    closing = engineer.post(f"/tasks/{late.id}/move", data={"csrf_token": csrf_of(page.text), "state": "closed"})
    assert closing.status_code == 400 and "closes with evidence" in closing.text


def test_signoff_steps_in_order_and_roc_report(clients: dict[Role, TestClient], workspace: Workspace) -> None:
    saved = run_assessment(workspace)
    approver = clients[Role.APPROVER]
    page = approver.get(f"/assessments/{saved.id}")
    early = approver.post(f"/assessments/{saved.id}/approve", data={"csrf_token": csrf_of(page.text)})
    assert early.status_code == 400 and "next step" in early.text
    officer = clients[Role.COMPLIANCE_OFFICER]
    submitted = officer.post(f"/assessments/{saved.id}/submit",
                             data={"csrf_token": csrf_of(officer.get(f"/assessments/{saved.id}").text)})
    assert submitted.status_code == 303
    after = approver.get(f"/assessments/{saved.id}").text
    assert "Complianceofficer (complianceofficer)" in after and f'action="/assessments/{saved.id}/review"' in after
    report = approver.get(f"/reports/{saved.id}.html?date_style=roc").text
    assert 'id="signoff"' in report and "民國" in report and "Complianceofficer" in report


def test_register_table_shows_labels_and_keeps_edit_and_delete_first(clients: dict[Role, TestClient],
                                                                      workspace: Workspace) -> None:
    """Issue #17.7: raw codes such as ``certification_report`` were shown, and the wide cloud-providers table
    hid the edit/delete column off screen."""
    add_record(workspace, "cloud-providers", {"name": "雲端甲公司", "star_level": "2",
                                             "last_audit_kind": "certification_report"})
    officer = clients[Role.COMPLIANCE_OFFICER]
    page = officer.get("/registers/cloud-providers").text
    table = page.split('id="register-records"')[1].split("</table>")[0]
    assert "驗證報告" in table and "certification_report" not in table and "第 2 級" in table
    first_row = table.split("<tbody>")[1]
    assert first_row.index("/edit") < first_row.index("雲端甲公司")  # the actions come first
    assert '<div class="table-wrap"><table id="register-records">' in page
    assert '<option value="certification_report" >驗證報告</option>' in page.replace('  ', ' ')
    officer.cookies.set("csmguard_lang", "en")
    english = officer.get("/registers/cloud-providers").text
    assert "Certification report" in english.split('id="register-records"')[1].split("</table>")[0]


def test_hashes_are_short_with_the_full_value_on_hover_and_times_are_taipei(
        clients: dict[Role, TestClient], workspace: Workspace, tmp_path: Path) -> None:
    """Issue #17.7: full SHA-256s and UUIDs cluttered the tables; times were shown in UTC."""
    proof = tmp_path / "sla.txt"
    proof.write_text("SLA report 2026-Q3\n", encoding="utf-8")
    ref = add_evidence(workspace, proof)
    viewer = clients[Role.AUDITOR]
    assert f'<code class="hash" title="{ref.sha256}">{ref.sha256}</code>' in viewer.get("/evidence").text
    saved = run_assessment(workspace)
    assert saved.id is not None
    listing = viewer.get("/assessments").text
    assert f'<code title="{saved.id}">{saved.id[:8]}</code>' in listing and "(UTC+8)" in listing
    assert "(UTC+8)" in viewer.get("/audit").text


def test_password_forms_state_the_minimum_length(clients: dict[Role, TestClient]) -> None:
    """Issue #17.7: the password error did not state the minimum length; the forms now say it up front."""
    admin = clients[Role.ADMINISTRATOR]
    for page in (admin.get("/admin/users").text, admin.get("/account").text):
        assert 'minlength="12"' in page and "至少 12 個字元" in page
    short = admin.post("/admin/users", data={"csrf_token": csrf_of(admin.get("/admin/users").text),
                                             "username": "newbie", "password": "short", "role": "auditor"})
    assert short.status_code == 400 and "密碼至少需要 12 個字元" in short.text
