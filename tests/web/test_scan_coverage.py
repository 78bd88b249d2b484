"""Scans from the web and the API that recognised nothing are recorded as failed and count for nothing; the
job says so; the API answers the state; the scan and its audit entry are one transaction."""

from __future__ import annotations

import json
import re
import time

from fastapi.testclient import TestClient

from csmguard.auth.roles import Role
from csmguard.domain import ScanResult
from csmguard.domain.coverage import Coverage
from csmguard.services import audit
from csmguard.services.workspace import latest_findings, list_scans
from csmguard.store.db import session_scope
from csmguard.workspace import Workspace
from tests.web.conftest import csrf_of
from tests.web.test_api_and_records import _new_token, _scan_json


def _wait(client: TestClient, html: str) -> str:
    job_id = re.search(r'id="job-([0-9a-f]+)"', html)
    assert job_id, html
    for _ in range(600):
        partial_html = client.get(f"/scans/jobs/{job_id.group(1)}").text
        if re.search(r'data-state="(done|failed)"', partial_html):
            return partial_html
        time.sleep(0.1)
    raise AssertionError("the job did not finish")


def test_an_iac_upload_that_is_not_iac_is_a_failed_scan(clients: dict[Role, TestClient], workspace: Workspace) -> None:
    engineer = clients[Role.ENGINEER]
    page = engineer.get("/scans")
    started = engineer.post("/scans/upload", data={"csrf_token": csrf_of(page.text), "kind": "iac"},
                            files={"file": ("profile.yaml", b"organization: x\nanswers: {}\n", "text/yaml")})
    assert started.status_code == 202, started.text
    done = _wait(engineer, started.text)
    assert "job-warning" in done and "found YAML" in done
    [scan] = list_scans(workspace)
    assert scan["state"] == "failed" and scan["status_counts"]["pass"] == 0
    with session_scope(workspace.engine()) as session:
        [entry] = [e for e in audit.iter_entries(session) if e.action == "scan.record"]
    assert entry.object_id == scan["id"] and json.loads(entry.after)["state"] == "failed"


def test_the_api_records_coverage_and_answers_the_state(clients: dict[Role, TestClient],
                                                        workspace: Workspace) -> None:
    token = _new_token(clients[Role.ENGINEER], ["scans:write"])
    api = clients[Role.AUDITOR]
    headers = {"Authorization": f"Bearer {token}"}
    empty = ScanResult(scanner="app", targets=("README.md",)).to_json_dict()
    answered = api.post("/api/scans?subject=x", json=empty, headers=headers)
    assert answered.status_code == 201 and answered.json()["state"] == "failed"
    full = _scan_json()
    assert full["coverage"] == {**Coverage(recognised={"app": 1}).to_json_dict(), "rules_examined": {"APP-014": 1}}
    answered = api.post("/api/scans?subject=trade-app", json=full, headers=headers)
    assert answered.json()["state"] == "complete"
    assert len(latest_findings(workspace)) == 1
    broken = {**full, "coverage": {"recognised": {"app": "many"}}}
    refused = api.post("/api/scans", json=broken, headers=headers)
    assert refused.status_code == 422 and "coverage" in refused.text
