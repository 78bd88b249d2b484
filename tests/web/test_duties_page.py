"""The duties page and the per-user iCalendar feed: any role may subscribe with a calendar-only token that opens
nothing else; a revoked or unknown token gets 404; the feed carries each duty's clause and source."""

from __future__ import annotations

import re
from datetime import timedelta

from fastapi.testclient import TestClient
from icalendar import Calendar

from csmguard.auth.roles import Role
from csmguard.dates import taipei_today
from csmguard.services.registers import add_record
from csmguard.workspace import Workspace
from tests.web.conftest import csrf_of


def _records(workspace: Workspace) -> None:
    today = taipei_today()
    add_record(workspace, "cloud-services", {"name": "核心交易", "provider": "甲雲", "model": "iaas", "critical": True})
    overdue = (today - timedelta(days=3)).isoformat()
    add_record(workspace, "cloud-providers", {"name": "甲雲", "next_audit_due": overdue})


def _new_feed(client: TestClient) -> str:
    page = client.get("/duties")
    created = client.post("/duties/feeds", data={"csrf_token": csrf_of(page.text)})
    assert created.status_code == 200, created.text
    match = re.search(r'id="feed-url">https://testserver(/calendar/[^<]+\.ics)<', created.text)
    assert match, created.text
    return match.group(1)


def test_page_lists_duties_with_clause_and_source(clients: dict[Role, TestClient], workspace: Workspace) -> None:
    _records(workspace)
    page = clients[Role.AUDITOR].get("/duties")
    assert page.status_code == 200
    assert "查核雲端服務業者 甲雲" in page.text and "CSM-4.3" in page.text and "cloud-providers/甲雲" in page.text
    assert "已逾期" in page.text
    filtered = clients[Role.AUDITOR].get("/duties?kind=certificate_expiry")
    assert "甲雲" not in filtered.text
    assert clients[Role.AUDITOR].get("/duties?within=-1").status_code == 422


def test_every_role_subscribes_and_revokes(clients: dict[Role, TestClient], workspace: Workspace) -> None:
    _records(workspace)
    anonymous = TestClient(clients[Role.AUDITOR].app, base_url="https://testserver")
    for role in (Role.AUDITOR, Role.COMPLIANCE_OFFICER):
        path = _new_feed(clients[role])
        feed = anonymous.get(path + "?lang=en")
        assert feed.status_code == 200 and feed.headers["content-type"].startswith("text/calendar")
        events = list(Calendar.from_ical(feed.content).walk("VEVENT"))
        audit = next(e for e in events if "CSM-4.3" in str(e["SUMMARY"]))
        assert "Source: cloud-providers/甲雲" in str(audit["DESCRIPTION"])
        assert "State: overdue" in str(audit["DESCRIPTION"])
        # the calendar token opens nothing else: not the scan API
        token = path.removeprefix("/calendar/").removesuffix(".ics")
        upload = anonymous.post("/api/scans", json={"scanner": "app"}, headers={"Authorization": f"Bearer {token}"})
        assert upload.status_code == 401
        page = clients[role].get("/duties")
        token_id = re.search(r'action="/duties/feeds/(\d+)/revoke"', page.text)
        assert token_id
        revoked = clients[role].post(f"/duties/feeds/{token_id.group(1)}/revoke",
                                     data={"csrf_token": csrf_of(page.text)})
        assert revoked.status_code == 200
        assert anonymous.get(path).status_code == 404
    assert anonymous.get("/calendar/csmg_not-a-token.ics").status_code == 404


def test_auditor_cannot_get_other_scopes(clients: dict[Role, TestClient]) -> None:
    """An auditor still may not hold an API token with any other scope (the tokens page is not theirs)."""
    assert clients[Role.AUDITOR].get("/tokens").status_code == 403


def test_notification_preferences_page_hides_the_webhook(clients: dict[Role, TestClient]) -> None:
    auditor = clients[Role.AUDITOR]
    page = auditor.get("/account/notifications")
    assert page.status_code == 200 and "通知設定" in page.text
    secret = "https://hooks.example.com/services/T000/B000/secretpart"
    saved = auditor.post("/account/notifications", data={
        "csrf_token": csrf_of(page.text), "email": "auditor@example.com.tw", "webhook_kind": "slack",
        "webhook_url": secret, "events": ["deadline", "privacy"], "mode": "digest", "digest_hour": "9",
        "lead_days": "10", "lang": "en"})
    assert saved.status_code == 200 and "已儲存" in saved.text
    assert "secretpart" not in saved.text and "https://hooks.example.com/…" in saved.text
    again = auditor.get("/account/notifications")
    assert "secretpart" not in again.text and 'value="auditor@example.com.tw"' in again.text
    # an empty address keeps the saved one; a bad e-mail is refused with the field named
    kept = auditor.post("/account/notifications", data={"csrf_token": csrf_of(again.text), "webhook_kind": "slack",
                                                         "email": "x", "events": ["deadline"]})
    assert kept.status_code == 400 and "email" in kept.text
    removed = auditor.post("/account/notifications", data={"csrf_token": csrf_of(again.text), "remove_webhook": "true",
                                                            "events": ["deadline"]})
    assert removed.status_code == 200 and "hooks.example.com" not in removed.text
