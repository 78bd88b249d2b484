"""Registers through the web app: create, edit, delete, import (all-or-nothing), export, audited."""

from __future__ import annotations

import hashlib
import io

import openpyxl
import orjson
import pytest
from fastapi.testclient import TestClient

from csmguard.auth.roles import Role
from csmguard.services import audit, registers
from csmguard.services.workspace import latest_findings, list_attestations
from csmguard.store.db import session_scope
from csmguard.workspace import Workspace
from tests.registers.test_change_audit_atomic import refuse_audit
from tests.web.conftest import csrf_of


def test_officer_creates_edits_and_deletes_a_provider(clients: dict[Role, TestClient], workspace: Workspace) -> None:
    officer = clients[Role.COMPLIANCE_OFFICER]
    page = officer.get("/registers/cloud-providers")
    assert page.status_code == 200 and 'id="register-create"' in page.text
    assert "多個項目以分號（; 或 ；）或換行分隔；逗號不分隔。" in page.text
    created = officer.post("/registers/cloud-providers", data={
        "csrf_token": csrf_of(page.text), "name": "Acme Cloud", "star_level": "2", "star_award": "silver",
        "audit_rights": "true", "next_audit_due": "2027-03-31",
        "other_certifications": "ISO 27001; ISO 27017；CSA STAR, Level 2\nSOC 2"})
    assert created.status_code == 303, created.text
    [stored] = registers.list_records(workspace, "cloud-providers")
    assert stored.record.name == "Acme Cloud"  # type: ignore[attr-defined]
    # the web form splits lists like CSV imports and the CLI: ";", "；" and new lines, never ","
    assert stored.record.other_certifications == (  # type: ignore[attr-defined]
        "ISO 27001", "ISO 27017", "CSA STAR, Level 2", "SOC 2")
    listing = officer.get("/registers/cloud-providers")
    assert "Acme Cloud" in listing.text
    edit = officer.get(f"/registers/cloud-providers/{stored.id}/edit")
    saved = officer.post(f"/registers/cloud-providers/{stored.id}", data={
        "csrf_token": csrf_of(edit.text), "name": "Acme Cloud", "star_level": "2", "star_award": "gold",
        "audit_rights": "true", "next_audit_due": "", "other_certifications": ""})
    assert saved.status_code == 303, saved.text
    [after] = registers.list_records(workspace, "cloud-providers")
    assert after.record.star_award.value == "gold"  # type: ignore[attr-defined]
    assert after.record.next_audit_due is None  # type: ignore[attr-defined]
    with session_scope(workspace.engine()) as db:
        entry = audit.page(db, None, 1, "register.update")[0]
    assert entry.actor == "complianceofficer" and entry.object_id == "Acme Cloud"
    assert orjson.loads(entry.before or "{}")["star_award"] == "silver"
    assert orjson.loads(entry.after or "{}")["star_award"] == "gold"
    gone = officer.post(f"/registers/cloud-providers/{stored.id}/delete", data={"csrf_token": csrf_of(edit.text)})
    assert gone.status_code == 303
    assert registers.list_records(workspace, "cloud-providers") == []


def test_invalid_record_is_refused_with_the_field(clients: dict[Role, TestClient], workspace: Workspace) -> None:
    officer = clients[Role.COMPLIANCE_OFFICER]
    page = officer.get("/registers/cloud-providers")
    bad = officer.post("/registers/cloud-providers", data={"csrf_token": csrf_of(page.text), "name": "X",
                                                          "recovery_time_hours": "-4"})
    assert bad.status_code == 400 and "recovery_time_hours" in bad.text
    assert registers.list_records(workspace, "cloud-providers") == []


def test_import_is_all_or_nothing_and_export_round_trips(clients: dict[Role, TestClient],
                                                         workspace: Workspace) -> None:
    officer = clients[Role.COMPLIANCE_OFFICER]
    page = officer.get("/registers/cloud-providers")
    template = officer.get("/registers/cloud-providers/template.csv?lang=en")
    assert template.status_code == 200
    header = template.content.decode("utf-8-sig").splitlines()[0]
    columns = header.split(",")
    good_row = {c: "" for c in columns}
    good_row[columns[0]] = "Good Cloud"
    bad_row = dict(good_row)
    bad_row[columns[0]] = "Bad Cloud"
    recovery = next(c for c in columns if "復原" in c or "recovery" in c.lower())
    bad_row[recovery] = "-1"
    body = "\n".join([header, ",".join(good_row.values()), ",".join(bad_row.values())]) + "\n"
    refused = officer.post("/registers/cloud-providers/import", data={"csrf_token": csrf_of(page.text)},
                           files={"file": ("providers.csv", body.encode("utf-8"), "text/csv")})
    assert refused.status_code == 400 and "row 3" in refused.text
    assert "providers.csv：1 個錯誤，未匯入任何資料。" in refused.text
    assert registers.list_records(workspace, "cloud-providers") == []
    empty = officer.post("/registers/cloud-providers/import", data={"csrf_token": csrf_of(page.text)},
                         files={"file": ("empty.csv", (header + "\n").encode("utf-8"), "text/csv")})
    assert empty.status_code == 400 and "no rows in empty.csv" in empty.text
    body = "\n".join([header, ",".join(good_row.values())]) + "\n"
    accepted = officer.post("/registers/cloud-providers/import", data={"csrf_token": csrf_of(page.text)},
                            files={"file": ("providers.csv", body.encode("utf-8"), "text/csv")})
    assert accepted.status_code == 200, accepted.text
    assert [s.key for s in registers.list_records(workspace, "cloud-providers")] == ["Good Cloud"]
    exported = officer.get("/registers/cloud-providers/export.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(exported.content)).active
    assert sheet is not None
    assert sheet["A2"].value == "Good Cloud"


def test_wrong_type_and_zip_bomb_are_refused(clients: dict[Role, TestClient], workspace: Workspace) -> None:
    import zipfile

    officer = clients[Role.COMPLIANCE_OFFICER]
    page = officer.get("/registers/devices")
    wrong = officer.post("/registers/devices/import", data={"csrf_token": csrf_of(page.text)},
                         files={"file": ("devices.exe", b"MZ\x90\x00", "application/octet-stream")})
    assert wrong.status_code == 400 and "不支援的檔案類型" in wrong.text
    fake = officer.post("/registers/devices/import", data={"csrf_token": csrf_of(page.text)},
                        files={"file": ("devices.xlsx", b"not a zip at all", "application/octet-stream")})
    assert fake.status_code == 400 and "XLSX" in fake.text
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (20 * 1024 * 1024))
    blown = officer.post("/registers/devices/import", data={"csrf_token": csrf_of(page.text)},
                         files={"file": ("devices.xlsx", bomb.getvalue(), "application/octet-stream")})
    assert blown.status_code == 400 and "壓縮檔無法安全讀取" in blown.text
    assert registers.list_records(workspace, "devices") == []


def test_attestation_with_evidence_and_register_checks(clients: dict[Role, TestClient], workspace: Workspace) -> None:
    officer = clients[Role.COMPLIANCE_OFFICER]
    page = officer.get("/evidence")
    officer.post("/evidence", data={"csrf_token": csrf_of(page.text)},
                 files={"file": ("policy.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")})
    sha = hashlib.sha256(b"%PDF-1.4\n%%EOF\n").hexdigest()
    req_page = officer.get("/catalog/CSM-4.1")
    assert 'id="attest-form"' in req_page.text
    saved = officer.post("/catalog/CSM-4.1/attestations", data={
        "csrf_token": csrf_of(req_page.text), "status": "implemented", "statement": "Reviewed yearly",
        "evidence": [sha]})
    assert saved.status_code == 303, saved.text
    [attestation] = list_attestations(workspace)
    assert (attestation.requirement, attestation.attested_by, [e.sha256 for e in attestation.evidence]) == \
        ("CSM-4.1", "complianceofficer", [sha])
    assert "Reviewed yearly" in officer.get("/catalog/CSM-4.1").text
    # the register checks: a provider whose audit is long overdue shows on the dashboard
    providers = officer.get("/registers/cloud-providers")
    officer.post("/registers/cloud-providers", data={"csrf_token": csrf_of(providers.text), "name": "Old Cloud",
                                                     "last_audit_on": "2019-01-01", "next_audit_due": "2020-01-01"})
    # checks judge services (3.1): the provider serves a critical one
    registers.add_record(workspace, "cloud-services", {"name": "Orders", "provider": "Old Cloud", "model": "saas",
                                                       "critical": True})
    run = officer.post("/register-checks", data={"csrf_token": csrf_of(providers.text)})
    assert run.status_code == 303
    failing = [f for f in latest_findings(workspace) if f.rule_id == "REG-001" and f.status.value == "fail"]
    assert failing
    assert "REG-001" in officer.get("/").text
    assert clients[Role.AUDITOR].post("/register-checks", headers={"X-CSRF-Token": "x"}).status_code == 403


def test_web_change_and_audit_are_one_transaction(clients: dict[Role, TestClient], workspace: Workspace) -> None:
    officer = clients[Role.COMPLIANCE_OFFICER]
    token = csrf_of(officer.get("/registers/devices").text)
    refuse_audit(workspace)
    with pytest.raises(Exception, match="audit refused"):
        officer.post("/registers/devices", data={"csrf_token": token, "device_id": "D1", "owner": "Amy"})
    assert registers.list_records(workspace, "devices") == []


def test_web_exports_cannot_carry_formulas(clients: dict[Role, TestClient], workspace: Workspace) -> None:
    registers.add_record(workspace, "devices", {"device_id": "=HYPERLINK(\"http://evil\")", "owner": "@me",
                                                "department": "-1+2"}, actor="test")
    auditor = clients[Role.AUDITOR]
    book = openpyxl.load_workbook(io.BytesIO(auditor.get("/registers/devices/export.xlsx").content))
    cells = [c for row in book.worksheets[0].iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    assert {"'=HYPERLINK(\"http://evil\")", "'@me", "'-1+2"} <= {c.value for c in cells}
    exported = auditor.get("/registers/devices/export.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in exported and "\n=" not in exported and ",=" not in exported
    trail = auditor.get("/audit/export.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in trail and ",=" not in trail
