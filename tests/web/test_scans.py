"""Scans started from the web app run in the background and are recorded: a website on loopback, an MDM
export, an endpoint that cannot be reached, and refused uploads."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from csmguard.services.workspace import get_scan, list_scans
from csmguard.web.auth.roles import Role
from csmguard.workspace import Workspace
from tests.scanners.site.sitelab import serve
from tests.web.conftest import csrf_of

SITE = """<!doctype html><html><head><title>範例證券</title></head><body>
<a href="https://www.facebook.com/example.securities">Facebook 粉絲專頁</a></body></html>"""


@pytest.fixture
def website() -> Iterator[str]:
    """A one-page official website on loopback (the site scanner's test server) with a social link and no
    leave-site prompt."""
    with serve({"/": SITE}) as origin:
        yield origin + "/"


def _wait(client: TestClient, started: str) -> str:
    job_id = re.search(r'id="job-([0-9a-f]+)"', started)
    assert job_id, started
    for _ in range(600):
        partial_html = client.get(f"/scans/jobs/{job_id.group(1)}").text
        state = re.search(r'data-state="(\w+)"', partial_html)
        assert state
        if state.group(1) in ("done", "failed"):
            return partial_html
        time.sleep(0.1)
    raise AssertionError("the job did not finish")


def test_site_check_runs_in_the_background_and_is_recorded(clients: dict[Role, TestClient], workspace: Workspace,
                                                           website: str) -> None:
    engineer = clients[Role.ENGINEER]
    page = engineer.get("/scans")
    started = engineer.post("/scans/site", data={"csrf_token": csrf_of(page.text), "url": website,
                                                 "allow_private": "true"})
    assert started.status_code == 202
    done = _wait(engineer, started.text)
    assert 'data-state="done"' in done, done
    [scan] = list_scans(workspace)
    assert scan["scanner"] == "site"
    document = get_scan(workspace, scan["id"])
    found = sorted((f["rule_id"], f["status"]) for f in document["findings"])
    assert found == [("SITE-001", "fail"), ("SITE-002", "unknown")], document["errors"]
    assert engineer.get(f"/scans/{scan['id']}").status_code == 200


def test_unreachable_endpoint_is_an_error_entry(clients: dict[Role, TestClient], workspace: Workspace) -> None:
    engineer = clients[Role.ENGINEER]
    page = engineer.get("/scans")
    started = engineer.post("/scans/endpoint", data={"csrf_token": csrf_of(page.text),
                                                     "targets": "127.0.0.1:1", "allow_private": "true"})
    assert started.status_code == 202
    assert 'data-state="done"' in _wait(engineer, started.text)
    [scan] = list_scans(workspace)
    assert scan["scanner"] == "endpoint" and scan["errors"] == 1
    bad = engineer.post("/scans/site", data={"csrf_token": csrf_of(page.text), "url": "ftp://x"})
    assert bad.status_code == 400 and "http://" in bad.text


def test_refused_scan_uploads_start_nothing(clients: dict[Role, TestClient], workspace: Workspace) -> None:
    engineer = clients[Role.ENGINEER]
    page = engineer.get("/scans")
    wrong = engineer.post("/scans/upload", data={"csrf_token": csrf_of(page.text), "kind": "app"},
                          files={"file": ("app.exe", b"MZ", "application/octet-stream")})
    assert wrong.status_code == 400 and ".apk" in wrong.text
    not_zip = engineer.post("/scans/upload", data={"csrf_token": csrf_of(page.text), "kind": "app"},
                            files={"file": ("app.apk", b"this is not a zip", "application/octet-stream")})
    assert not_zip.status_code == 400 and "APK" in not_zip.text
    assert list_scans(workspace) == []
    assert 'id="job-' not in engineer.get("/scans").text
