"""Notifications end to end against real servers on loopback: an aiosmtpd SMTP server requiring STARTTLS and a
login, and an HTTP webhook receiver. A worse status, an overdue duty and a new privacy-policy version each reach a
user once, in the user's language and channel; digests wait for their hour; failures are kept with their reason;
webhooks obey the address policy; secrets are never shown back."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from csmguard.auth.roles import Role
from csmguard.services import audit, web_accounts
from csmguard.services.assessment import run_assessment
from csmguard.services.notify import get_prefs, outbox, run_notifications, set_prefs
from csmguard.services.registers import add_record, update_record
from csmguard.store.db import session_scope
from csmguard.workspace import SETTINGS_FILE, Workspace, init_workspace, open_workspace
from tests.duties.servers import Receiver, SmtpServer, start_smtp
from tests.store.conftest import pg_server, pg_url  # noqa: F401 - the PostgreSQL fixtures

PASSWORD_ENV = "CSMGUARD_TEST_SMTP_PASSWORD"
SMTP_PASSWORD = "relay-secret-9"
POLICY = web_accounts.Policy(argon2_time_cost=1, argon2_memory_kib=1024)


@pytest.fixture
def smtp(tmp_path: Path) -> Iterator[SmtpServer]:
    (tmp_path / "certs").mkdir()
    server = start_smtp(tmp_path / "certs", "relay", SMTP_PASSWORD)
    yield server
    server.stop()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver().start()
    yield server
    server.stop()


def _configure(root: Path, smtp: SmtpServer, *, allow_private: bool = True, starttls: bool = True) -> Workspace:
    text = (root / SETTINGS_FILE).read_text(encoding="utf-8")
    head, _, _ = text.partition("[notify]")
    notify = (f'[notify]\nsmtp_host = "127.0.0.1"\nsmtp_port = {smtp.port}\n'
              f"smtp_starttls = {'true' if starttls else 'false'}\n"
              f'smtp_ca_file = "{smtp.ca_file}"\nsmtp_username = "relay"\n'
              f'smtp_password_env = "{PASSWORD_ENV}"\n'
              f'mail_from = "csmguard@example.com.tw"\n'
              f'webhook_allow_private = {"true" if allow_private else "false"}\n')
    (root / SETTINGS_FILE).write_text(head + notify, encoding="utf-8")
    return open_workspace(root)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def ws(request: pytest.FixtureRequest, tmp_path: Path, smtp: SmtpServer,
       monkeypatch: pytest.MonkeyPatch) -> Iterator[Workspace]:
    """A workspace on SQLite, then on a real PostgreSQL server (tests/store/conftest.py), with two users."""
    monkeypatch.setenv(PASSWORD_ENV, SMTP_PASSWORD)
    db_url = request.getfixturevalue("pg_url") if request.param == "postgres" else None
    init_workspace(tmp_path / "ws", db_url=db_url).close()
    workspace = _configure(tmp_path / "ws", smtp)
    with session_scope(workspace.engine()) as db:
        for name in ("wang", "lin"):
            web_accounts.create_user(db, "test", name, name.title(), Role.COMPLIANCE_OFFICER,
                                     "a long enough password 123", POLICY)
    for question in ("uses_external_cloud", "cloud_involves_critical"):
        add_record(workspace, "profile", {"question": question, "answer": True})
    add_record(workspace, "cloud-services", {"name": "核心交易", "provider": "甲雲", "model": "iaas", "critical": True})
    add_record(workspace, "cloud-providers", {"name": "甲雲", "last_audit_on": "2026-01-01",
                                              "next_audit_due": (date.today() + timedelta(days=60)).isoformat()})
    yield workspace
    workspace.close()


def _prefs(ws: Workspace, user: str, **kwargs: object) -> None:
    with audit.write_scope(ws.engine()) as db:
        set_prefs(db, "test", user, **kwargs)  # type: ignore[arg-type]


def _worsen(ws: Workspace) -> None:
    """Two assessments: CSM-4.3 compliant, then non-compliant (the next audit date passed)."""
    run_assessment(ws, register_checks=True)
    update_record(ws, "cloud-providers", "甲雲", {"next_audit_due": (date.today() - timedelta(days=3)).isoformat()})
    run_assessment(ws, register_checks=True)


def test_email_over_starttls_once_per_event(ws: Workspace, smtp: SmtpServer) -> None:
    _prefs(ws, "wang", email="wang@example.com.tw", events=["status_worse", "deadline"])
    _worsen(ws)
    report = run_notifications(ws, base_url="https://csmguard.example")
    assert report.failed == 0, report.errors
    subjects = [str(m["Subject"]) for m in smtp.mailbox.messages]
    assert any("CSM-4.3 狀態變差" in s for s in subjects), subjects
    assert any(s.startswith("[CSM Guard] 已逾期：查核雲端服務業者 甲雲") for s in subjects), subjects
    assert all(smtp.mailbox.tls) and smtp.mailbox.logins  # sent only after STARTTLS and the login
    worse = next(m for m in smtp.mailbox.messages if "狀態變差" in str(m["Subject"]))
    body = worse.get_content()
    assert "https://csmguard.example/catalog/CSM-4.3" in body and str(worse["To"]) == "wang@example.com.tw"
    # a second run sends nothing new
    count = len(smtp.mailbox.messages)
    again = run_notifications(ws)
    assert again.queued == 0 and again.sent == 0 and len(smtp.mailbox.messages) == count
    assert all(row["sent_at"] for row in outbox(ws))


def test_webhooks_in_each_format(ws: Workspace, receiver: Receiver, tmp_path: Path) -> None:
    _prefs(ws, "wang", webhook_kind="slack", webhook_url=receiver.url + "/slack/T000/B000/secretpart",
           events=["deadline"], lang="en")
    _prefs(ws, "lin", webhook_kind="teams", webhook_url=receiver.url + "/teams/workflow/secretpart",
           events=["deadline"])
    update_record(ws, "cloud-providers", "甲雲", {"next_audit_due": (date.today() - timedelta(days=3)).isoformat()})
    report = run_notifications(ws)
    assert report.failed == 0, report.errors
    by_path = {path.split("/")[1]: body for path, body in receiver.bodies}
    slack = by_path["slack"]
    assert slack["text"].startswith("[CSM Guard] Overdue: Audit cloud provider 甲雲")
    assert slack["blocks"][1]["type"] == "section" and "Clause CSM-4.3" in slack["blocks"][1]["text"]["text"]
    teams = by_path["teams"]
    card = teams["attachments"][0]
    assert card["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert any("查核雲端服務業者 甲雲" in block["text"] for block in card["content"]["body"])
    # a new address on the same channel: what was sent is not sent again
    _prefs(ws, "wang", webhook_kind="json", webhook_url=receiver.url + "/generic/hook", events=["deadline"])
    receiver.bodies.clear()
    assert run_notifications(ws).sent == 0 and receiver.bodies == []


def test_generic_json_and_privacy_version(ws: Workspace, receiver: Receiver) -> None:
    from csmguard.store.models_social import PrivacyReviewRow, PrivacyVersionRow

    _prefs(ws, "lin", webhook_kind="json", webhook_url=receiver.url + "/generic/hook", events=["privacy"])
    with session_scope(ws.engine()) as db:  # what watch privacy keeps for a changed policy
        db.add(PrivacyVersionRow(id="v-1", platform="facebook", url="https://example.com/privacy", sha256="0" * 64,
                                 fetched_at=datetime.now(UTC), text="新政策", chars=3))
        db.flush()
        db.add(PrivacyReviewRow(id="r-1", version_id="v-1", platform="facebook", opened_on=date.today(),
                                status="open", words_added=12, words_removed=3))
    report = run_notifications(ws)
    assert report.sent == 1, report.errors
    path, body = receiver.bodies[0]
    assert path == "/generic/hook" and body["source"] == "csmguard"
    event = body["events"][0]
    assert event["kind"] == "privacy" and event["key"] == "privacy:v-1" and event["requirement"] == "CSM-11.1"
    assert "新增 12 字" in event["body"]["zh-TW"]


def test_digest_waits_for_its_hour(ws: Workspace, smtp: SmtpServer) -> None:
    _prefs(ws, "wang", email="wang@example.com.tw", events=["status_worse", "deadline"], mode="digest",
           digest_hour=8)
    _worsen(ws)
    before_eight = datetime(2026, 12, 8, 23, 30, tzinfo=UTC)  # 07:30 on 12-09 in Taipei
    first = run_notifications(ws, now=before_eight)
    # last_digest_at is empty, so the first digest goes at once; then the next waits for 08:00 Taipei
    assert first.sent >= 2 and len(smtp.mailbox.messages) == 1
    assert str(smtp.mailbox.messages[0]["Subject"]).startswith("[CSM Guard] 通知摘要：")
    update_record(ws, "cloud-providers", "甲雲", {"next_audit_due": (date.today() - timedelta(days=40)).isoformat()})
    waiting = run_notifications(ws, now=before_eight + timedelta(minutes=10))
    assert waiting.queued == 1 and waiting.waiting_for_digest == 1 and len(smtp.mailbox.messages) == 1
    after_eight = run_notifications(ws, now=before_eight + timedelta(minutes=40))
    assert after_eight.sent == 1 and len(smtp.mailbox.messages) == 2


def test_failures_are_kept_and_retried(ws: Workspace, receiver: Receiver, monkeypatch: pytest.MonkeyPatch) -> None:
    _prefs(ws, "wang", email="wang@example.com.tw", webhook_kind="slack", webhook_url=receiver.url + "/s/secretpart",
           events=["deadline"])
    update_record(ws, "cloud-providers", "甲雲", {"next_audit_due": (date.today() - timedelta(days=3)).isoformat()})
    receiver.status = 500
    monkeypatch.delenv(PASSWORD_ENV)
    report = run_notifications(ws)
    assert report.sent == 0 and report.failed == report.queued > 0
    errors = " ".join(report.errors)
    assert "HTTP 500" in errors and PASSWORD_ENV in errors and "secretpart" not in errors
    receiver.status = 200
    monkeypatch.setenv(PASSWORD_ENV, SMTP_PASSWORD)
    retried = run_notifications(ws)
    assert retried.sent == report.failed and retried.failed == 0


def test_starttls_is_required_unless_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "certs").mkdir()
    plain = start_smtp(tmp_path / "certs", "relay", SMTP_PASSWORD, starttls=False)
    try:
        init_workspace(tmp_path / "ws").close()
        ws = _configure(tmp_path / "ws", plain)
        with session_scope(ws.engine()) as db:
            web_accounts.create_user(db, "test", "wang", "Wang", Role.AUDITOR, "a long enough password 123", POLICY)
        add_record(ws, "cloud-providers", {"name": "甲雲", "next_audit_due": "2026-01-01"})
        _prefs(ws, "wang", email="wang@example.com.tw", events=["deadline"])
        report = run_notifications(ws)
        assert report.failed == report.queued > 0
        assert all("does not offer STARTTLS" in error for error in report.errors)
        assert plain.mailbox.messages == []
        ws.close()
    finally:
        plain.stop()


def test_webhook_address_policy(tmp_path: Path, smtp: SmtpServer, receiver: Receiver) -> None:
    init_workspace(tmp_path / "strict").close()
    ws = _configure(tmp_path / "strict", smtp, allow_private=False)
    with session_scope(ws.engine()) as db:
        web_accounts.create_user(db, "test", "wang", "Wang", Role.AUDITOR, "a long enough password 123", POLICY)
    add_record(ws, "cloud-providers", {"name": "甲雲", "next_audit_due": "2026-01-01"})
    _prefs(ws, "wang", webhook_kind="json", webhook_url=receiver.url + "/hook/secretpart", events=["deadline"])
    report = run_notifications(ws)
    assert report.failed == report.queued > 0 and receiver.bodies == []
    assert all("loopback" in e and "webhook_allow_private" in e and "secretpart" not in e for e in report.errors)
    ws.close()


def test_preferences_validate_and_hide_secrets(ws: Workspace, receiver: Receiver) -> None:
    from csmguard.domain.errors import InputError

    with pytest.raises(InputError, match="e-mail"):
        _prefs(ws, "wang", email="not-an-address")
    with pytest.raises(InputError, match="https"):
        _prefs(ws, "wang", webhook_kind="slack", webhook_url="ftp://example.com/x")
    with pytest.raises(InputError, match="kind"):
        _prefs(ws, "wang", webhook_url=receiver.url + "/x/secretpart")
    with pytest.raises(InputError, match="no web user"):
        _prefs(ws, "nobody", email="a@example.com.tw")
    _prefs(ws, "wang", webhook_kind="slack", webhook_url=receiver.url + "/x/secretpart", events=["deadline"])
    with session_scope(ws.engine()) as db:
        shown = get_prefs(db, "wang").as_dict()
        trail = audit.export_json(db).decode()
    assert shown["webhook"] == "http://127.0.0.1/…" and "secretpart" not in str(shown)
    assert "notify.prefs" in trail and "secretpart" not in trail


def test_cli_prefs_run_and_outbox(ws: Workspace, receiver: Receiver, monkeypatch: pytest.MonkeyPatch) -> None:
    import orjson
    from typer.testing import CliRunner

    from csmguard.cli.main import app

    runner = CliRunner()
    monkeypatch.setenv("HOOK_URL", receiver.url + "/json/secretpart")
    update_record(ws, "cloud-providers", "甲雲", {"next_audit_due": (date.today() - timedelta(days=3)).isoformat()})

    def cli(*args: str) -> tuple[int, str]:
        result = runner.invoke(app, [*args, "-w", str(ws.root)], env={"COLUMNS": "300"})
        return result.exit_code, result.output

    code, out = cli("notify", "prefs", "set", "lin", "--webhook-kind", "json", "--webhook-url-env", "HOOK_URL",
                    "--events", "deadline", "--lead-days", "3", "--actor", "王管理")
    assert code == 0, out
    shown = orjson.loads(out)
    assert shown["webhook"] == "http://127.0.0.1/…" and shown["lead_days"] == 3 and "secretpart" not in out
    assert cli("notify", "prefs", "set", "lin", "--webhook-url-env", "NOT_SET_ANYWHERE")[0] == 2
    assert cli("notify", "prefs", "set", "lin", "--events", "everything")[0] == 2
    code, out = cli("notify", "run", "--json")
    assert code == 0, out
    report = orjson.loads(out)
    assert report["sent"] >= 1 and report["failed"] == 0
    assert any(path == "/json/secretpart" for path, _body in receiver.bodies)
    code, out = cli("notify", "outbox", "--lang", "en")
    assert code == 0 and "Overdue: Audit cloud provider 甲雲" in out and "secretpart" not in out
    receiver.status = 500
    update_record(ws, "cloud-providers", "甲雲", {"next_audit_due": (date.today() - timedelta(days=30)).isoformat()})
    code, out = cli("notify", "run")
    assert code == 1 and "HTTP 500" in out and "secretpart" not in out
