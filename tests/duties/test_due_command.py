"""``csmguard due`` over a real workspace: register rows, an exception, a certificate seen by a real endpoint
scan of a loopback TLS server, and a privacy-policy version fetched by ``watch privacy`` from a loopback page;
each duty names its clause and source; --within, --kind, JSON and iCalendar output; bad --within is exit 2."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import orjson
import pytest
from icalendar import Calendar
from typer.testing import CliRunner

from csmguard.cli.main import app
from csmguard.dates import taipei_today
from csmguard.services.endpoint_scan import load_endpoint_rules
from csmguard.services.registers import add_record
from csmguard.services.social import watch_privacy
from csmguard.services.workspace import add_exception, record_scan
from csmguard.workspace import Workspace, init_workspace
from tests.scanners.endpoint.lab import Lab

runner = CliRunner()
TODAY = taipei_today()


class _Policy(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = "<html><body><main><h1>隱私權政策</h1><p>我們蒐集您的資料以提供服務。</p></main></body></html>".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        return


@pytest.fixture(scope="module")
def policy_page() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Policy)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/privacy"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory, policy_page: str) -> Iterator[Workspace]:
    """One workspace for the module (the tests only read it)."""
    tmp_path = tmp_path_factory.mktemp("due")
    workspace = init_workspace(tmp_path / "ws")
    add_record(workspace, "cloud-services", {"name": "核心交易", "provider": "甲雲", "model": "iaas", "critical": True})
    add_record(workspace, "cloud-providers", {"name": "甲雲",
                                              "next_audit_due": (TODAY + timedelta(days=20)).isoformat(),
                                              "contract_start": (TODAY - timedelta(days=20)).isoformat()})
    add_record(workspace, "social-accounts", {"platform": "facebook", "handle": "範例證券",
                                              "privacy_policy_url": policy_page,
                                              "privacy_policy_reviewed_on": (TODAY - timedelta(days=400)).isoformat()})
    add_exception(workspace, requirement="CSM-14.4.1", rationale="舊機型", compensating_controls="限制存取",
                  approver="王核准", expires_on=TODAY + timedelta(days=45))
    outcomes = watch_privacy(workspace, allow_private=True, timeout=5)
    assert [o.state for o in outcomes] == ["first"], outcomes
    (tmp_path / "lab").mkdir()
    lab = Lab(tmp_path / "lab", load_endpoint_rules())
    try:
        result = lab.scan("expiring")  # a certificate valid for 10 more days
        record_scan(workspace, result)
    finally:
        lab.close()
    yield workspace
    workspace.close()


def _due(ws: Workspace, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["due", "-w", str(ws.root), *args], env={"COLUMNS": "400"})
    return result.exit_code, result.output


def test_json_names_clause_and_source(ws: Workspace) -> None:
    code, out = _due(ws, "--format", "json")
    assert code == 0, out
    doc = orjson.loads(out)
    got = {(d["kind"], d["requirement"], d["source"].split("/")[0]): d for d in doc["duties"]}
    audit = got[("provider_audit", "CSM-4.3", "cloud-providers")]
    assert audit["due"] == (TODAY + timedelta(days=20)).isoformat() and audit["state"] == "upcoming"
    privacy = got[("privacy_review", "CSM-11.1", "social-accounts")]
    assert privacy["state"] == "overdue" and privacy["basis"] == "setting:privacy_review_days"
    change = got[("privacy_review", "CSM-11.1", "privacy-review")]  # the version watch privacy just kept
    assert change["due"] == (TODAY + timedelta(days=30)).isoformat()
    assert got[("exception_expiry", "CSM-14.4.1", "exception")]["days_left"] == 45
    cert = got[("certificate_expiry", "CSM-5.3", "scan")]
    assert 8 <= cert["days_left"] <= 10 and cert["state"] == "due_soon" and "127.0.0.1" in cert["source"]
    assert ("sla_report", "CSM-6.1", "cloud-providers") in got
    assert doc["duties"] == sorted(doc["duties"], key=lambda d: d["due"])


def test_within_and_kind(ws: Workspace) -> None:
    doc = orjson.loads(_due(ws, "--format", "json", "--within", "14d")[1])
    kinds = {d["kind"] for d in doc["duties"]}
    assert "certificate_expiry" in kinds and "privacy_review" in kinds  # due soon, and overdue (always shown)
    assert "exception_expiry" not in kinds and "provider_audit" not in kinds
    doc = orjson.loads(_due(ws, "--format", "json", "--within", "4w", "--kind", "provider_audit")[1])
    assert [d["kind"] for d in doc["duties"]] == ["provider_audit"]


def test_table_in_both_languages(ws: Workspace) -> None:
    code, out = _due(ws)
    assert code == 0 and "應辦事項" in out and "雲端服務業者查核" in out and "已逾期" in out
    code, out = _due(ws, "--lang", "en")
    assert code == 0 and "Provider audit" in out and "overdue" in out and "應辦事項" not in out


def test_ics_feed_parses(ws: Workspace, tmp_path: Path) -> None:
    target = tmp_path / "duties.ics"
    code, out = _due(ws, "--format", "ics", "-o", str(target), "--lang", "en")
    assert code == 0, out
    cal = Calendar.from_ical(target.read_bytes())
    events = list(cal.walk("VEVENT"))
    summaries = [str(e["SUMMARY"]) for e in events]
    assert any(s.startswith("[CSM-4.3] Audit cloud provider 甲雲") for s in summaries)
    audit = next(e for e in events if "CSM-4.3" in str(e["SUMMARY"]))
    assert audit.decoded("DTSTART") == TODAY + timedelta(days=20)
    assert "Source: cloud-providers/甲雲" in str(audit["DESCRIPTION"])
    assert len({str(e["UID"]) for e in events}) == len(events)


def test_bad_within_is_exit_2(ws: Workspace) -> None:
    code, out = _due(ws, "--within", "soon")
    assert code == 2 and "--within" in out


def test_as_of_moves_the_reckoning(ws: Workspace) -> None:
    later = (TODAY + timedelta(days=30)).isoformat()
    doc = orjson.loads(_due(ws, "--format", "json", "--as-of", later)[1])
    audit = next(d for d in doc["duties"] if d["kind"] == "provider_audit")
    assert audit["state"] == "overdue" and audit["days_left"] == -10
    assert doc["as_of"] == later and date.fromisoformat(doc["as_of"]) > TODAY
