"""Hostile IaC archives through the upload form: a file and a folder of the same name, an over-long entry
name. Each gets a clear 400 page naming the entry, and no temporary folder stays behind."""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from csmguard.auth.roles import Role
from csmguard.domain import FindingStatus, ScanResult, Severity, Target, make_fingerprint, text
from csmguard.domain.finding import Finding, Location
from csmguard.services.workspace import list_scans, record_scan
from csmguard.workspace import Workspace
from tests.web.conftest import csrf_of, new_client

TF = b'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n'


def _zip(entries: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries:
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary-files folder of this test alone, so leftovers can be counted."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def _upload(client: TestClient, name: str, body: bytes) -> tuple[int, str]:
    page = client.get("/scans")
    response = client.post("/scans/upload", data={"csrf_token": csrf_of(page.text), "kind": "iac"},
                           files={"file": (name, body, "application/zip")})
    return response.status_code, response.text


@pytest.mark.parametrize(("entries", "named"), [
    ([("a", TF), ("a/b.tf", TF)], "a/b.tf"),
    ([("a/b.tf", TF), ("a", TF)], "a"),
    ([("x" * 300 + ".tf", TF)], "x" * 40),
    ([("d/" + "y" * 300 + "/main.tf", TF)], "y" * 40),
])
def test_unextractable_iac_zip_is_a_400_naming_the_entry(clients: dict[Role, TestClient], workspace: Workspace,
                                                         private_tmp: Path, entries: list[tuple[str, bytes]],
                                                         named: str) -> None:
    status, text = _upload(clients[Role.ENGINEER], "infra.zip", _zip(entries))
    assert status == 400, text
    assert named in text
    assert list_scans(workspace) == []
    assert [p.name for p in private_tmp.iterdir() if p.name.startswith("csmguard-")] == []


def test_good_iac_zip_still_scans_and_leaves_no_temp_folder(clients: dict[Role, TestClient], workspace: Workspace,
                                                            private_tmp: Path) -> None:
    from tests.web.test_scans import _wait

    engineer = clients[Role.ENGINEER]
    status, text = _upload(engineer, "infra.zip", _zip([("main/b.tf", TF)]))
    assert status == 202, text
    assert 'data-state="done"' in _wait(engineer, text)
    [scan] = list_scans(workspace)
    assert scan["scanner"] == "iac"
    assert [p.name for p in private_tmp.iterdir() if p.name.startswith("csmguard-")] == []


def _finding(rule_id: str, status: FindingStatus) -> Finding:
    target = Target(kind="app", id="tw.example.trade")
    location = Location(path=f"{rule_id}.xml")
    return Finding(rule_id=rule_id, status=status, severity=Severity.HIGH, requirements=("CSM-16.3",),
                   title=text("標題", "Title"), message=text("訊息", "Message"), target=target, location=location,
                   fingerprint=make_fingerprint(rule_id, target, location))


def test_findings_filter_all_statuses(clients: dict[Role, TestClient], workspace: Workspace) -> None:
    record_scan(workspace, ScanResult(scanner="app", targets=("trade.apk",),
                                      findings=(_finding("APP-014", FindingStatus.FAIL),
                                                _finding("APP-013", FindingStatus.PASS))), subject="trade")
    auditor = clients[Role.AUDITOR]
    every = auditor.get("/findings?status=&rule=&requirement=")  # what the form sends for "all statuses"
    assert every.status_code == 200, every.text
    assert '<option value="" selected' in every.text
    assert "APP-014" in every.text and "APP-013" in every.text
    failing = auditor.get("/findings")  # failing by default
    assert '<option value="fail" selected' in failing.text
    assert "APP-014" in failing.text and "APP-013" not in failing.text
    passing = auditor.get("/findings?status=pass")
    assert "APP-013" in passing.text and "APP-014" not in passing.text
    bad = auditor.get("/findings?status=nonsense")
    assert bad.status_code == 400 and "nonsense" in bad.text


def test_anonymous_multipart_is_refused_before_it_is_read(app: FastAPI, private_tmp: Path,
                                                          make_user: Callable[[str, Role], str]) -> None:
    make_user("someone", Role.ENGINEER)
    client = new_client(app)
    page = client.get("/login")
    response = client.post("/scans/upload", data={"csrf_token": csrf_of(page.text), "kind": "iac"},
                           files={"file": ("infra.zip", _zip([("a.tf", TF)]), "application/zip")})
    assert response.status_code == 403
    assert list(private_tmp.iterdir()) == []  # nothing was spooled
