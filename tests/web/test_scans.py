"""Scans started from the web app run in the background and are recorded: a website on loopback, an MDM
export, an endpoint that cannot be reached, and refused uploads."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import orjson
import pytest
from fastapi.testclient import TestClient

from csmguard.auth.roles import Role
from csmguard.services import audit
from csmguard.services.workspace import get_scan, list_scans
from csmguard.store.db import session_scope
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
    admin = clients[Role.ADMINISTRATOR]
    page = admin.get("/scans")
    started = admin.post("/scans/site", data={"csrf_token": csrf_of(page.text), "url": website,
                                              "allow_private": "true"})
    assert started.status_code == 202
    done = _wait(admin, started.text)
    assert 'data-state="done"' in done, done
    [scan] = list_scans(workspace)
    assert scan["scanner"] == "site"
    document = get_scan(workspace, scan["id"])
    found = sorted((f["rule_id"], f["status"]) for f in document["findings"])
    assert found == [("SITE-001", "fail"), ("SITE-002", "unknown")], document["errors"]
    assert clients[Role.ENGINEER].get(f"/scans/{scan['id']}").status_code == 200


def test_unreachable_endpoint_is_an_error_entry(clients: dict[Role, TestClient], workspace: Workspace) -> None:
    admin = clients[Role.ADMINISTRATOR]
    page = admin.get("/scans")
    started = admin.post("/scans/endpoint", data={"csrf_token": csrf_of(page.text),
                                                  "targets": "127.0.0.1:1", "allow_private": "true"})
    assert started.status_code == 202
    assert 'data-state="done"' in _wait(admin, started.text)
    [scan] = list_scans(workspace)
    assert scan["scanner"] == "endpoint" and scan["errors"] == 1
    engineer = clients[Role.ENGINEER]
    page = engineer.get("/scans")
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


@pytest.mark.parametrize("route", ["/scans/site", "/scans/endpoint"])
def test_only_administrators_may_allow_private_addresses(clients: dict[Role, TestClient], workspace: Workspace,
                                                         website: str, route: str) -> None:
    field = {"url": website} if route == "/scans/site" else {"targets": website}
    for role, client in clients.items():
        page = client.get("/scans")
        assert ('name="allow_private"' in page.text) == (role is Role.ADMINISTRATOR)
        response = client.post(route, data={"csrf_token": csrf_of(page.text), **field, "allow_private": "true"})
        if role is Role.ADMINISTRATOR:
            assert response.status_code == 202, response.text
            _wait(client, response.text)
        else:
            assert response.status_code == 403, (role, response.text)
    assert len(list_scans(workspace)) == 1  # only the administrator's scan ran
    with session_scope(workspace.engine()) as db:
        entries = [e for e in audit.page(db, None, 200) if e.action in ("scan.allow_private", "scan.record")]
    assert [(e.actor, e.action) for e in entries] == [("administrator", "scan.record"),
                                                      ("administrator", "scan.allow_private")]
    allowed = orjson.loads(entries[1].after or "null")
    assert allowed["allow_private"] is True and website.rstrip("/") in allowed["targets"]
    assert orjson.loads(entries[0].after or "null")["allow_private"] is True


def test_private_addresses_refused_without_the_setting(clients: dict[Role, TestClient], workspace: Workspace,
                                                       website: str) -> None:
    engineer = clients[Role.ENGINEER]
    page = engineer.get("/scans")
    started = engineer.post("/scans/site", data={"csrf_token": csrf_of(page.text), "url": website})
    assert started.status_code == 202
    assert 'data-state="done"' in _wait(engineer, started.text)
    [scan] = list_scans(workspace)
    document = get_scan(workspace, scan["id"])
    assert document["findings"] == [] or all(f["status"] != "pass" for f in document["findings"])
    assert document["errors"], document


def test_busy_user_gets_429_and_nothing_is_recorded(clients: dict[Role, TestClient], workspace: Workspace,
                                                    website: str) -> None:
    admin = clients[Role.ADMINISTRATOR]
    state = admin.app.state.ctx  # type: ignore[attr-defined]
    held = state.slots.claim("administrator")  # as if the administrator's import were running
    try:
        page = admin.get("/scans")
        refused = admin.post("/scans/site", data={"csrf_token": csrf_of(page.text), "url": website,
                                                  "allow_private": "true"})
        assert refused.status_code == 429 and refused.headers["retry-after"] == "30"
        assert "正在執行" in refused.text
        other = clients[Role.ENGINEER]  # another user is not held up
        started = other.post("/scans/site", data={"csrf_token": csrf_of(other.get("/scans").text), "url": website})
        assert started.status_code == 202
        _wait(other, started.text)
    finally:
        held.release()
    with session_scope(workspace.engine()) as db:
        assert audit.page(db, None, 50, "scan.allow_private") == []
    assert state.slots.running() == 0
