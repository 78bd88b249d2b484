"""Log-in hardening (OWASP ASVS L2): identical answers for unknown, wrong and locked accounts, one Argon2
verification on every path, per-client and per-account back-off, failed attempts aggregated in the audit
trail, and password changes that end other sessions and count wrong current passwords."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
import pyotp
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from csmguard.auth.roles import Role
from csmguard.auth.throttle import UNKNOWN_ACCOUNT, FailureTally, LoginThrottle, ThrottleRule
from csmguard.services import audit, web_accounts
from csmguard.services.catalog import CatalogView
from csmguard.store.db import session_scope
from csmguard.store.models_web import SessionRow, UserRow
from csmguard.web.app import _write_failed_logins, create_app
from csmguard.web.settings import WebSettings
from csmguard.web.state import AppState
from csmguard.workspace import Workspace
from tests.web.conftest import PASSWORD, csrf_of, login, new_client


def _try(client: TestClient, username: str, password: str, code: str = "") -> Any:
    page = client.get("/login")
    return client.post("/login", data={"username": username, "password": password, "code": code,
                                       "csrf_token": csrf_of(page.text)})


def _entries(workspace: Workspace, *actions: str) -> list[audit.AuditEntry]:
    with session_scope(workspace.engine()) as db:
        return [entry for entry in audit.iter_entries(db) if entry.action in actions]


def test_unknown_wrong_and_locked_accounts_get_the_same_answer_after_one_argon2_each(
        app: FastAPI, make_user: Callable[[str, Role], str], workspace: Workspace,
        monkeypatch: pytest.MonkeyPatch) -> None:
    secret = make_user("bob", Role.ENGINEER)
    make_user("dora", Role.ENGINEER)
    with session_scope(workspace.engine()) as db:
        db.execute(update(UserRow).where(UserRow.username == "dora").values(
            locked_until=datetime.now(UTC) + timedelta(minutes=10)))
    verifications: list[str] = []
    real_verify, real_dummy = web_accounts.verify_password, web_accounts.dummy_verify

    def counting_verify(encoded: str, password: str) -> bool:
        verifications.append("verify")
        return real_verify(encoded, password)

    def counting_dummy(encoded: str, password: str) -> None:
        verifications.append("dummy")
        real_dummy(encoded, password)

    monkeypatch.setattr(web_accounts, "verify_password", counting_verify)
    monkeypatch.setattr(web_accounts, "dummy_verify", counting_dummy)
    client = new_client(app)
    answers = []
    for username, password in (("nobody", "wrong password"), ("bob", "wrong password"), ("dora", PASSWORD),
                               ("dora", "wrong password")):
        before = len(verifications)
        response = _try(client, username, password, pyotp.TOTP(secret).now())
        assert len(verifications) == before + 1, (username, verifications)  # exactly one Argon2 verification
        answers.append((response.status_code, response.text))
    assert {status for status, _ in answers} == {401}
    assert len({body for _, body in answers}) == 1  # word for word the same page
    assert "15" in answers[0][1]  # the one message says how long a lock-out lasts


def test_failed_logins_are_aggregated_not_one_audit_row_each(app: FastAPI, make_user: Callable[[str, Role], str],
                                                             workspace: Workspace) -> None:
    make_user("bob", Role.ENGINEER)
    client = new_client(app)
    for n in range(20):
        _try(client, f"guess{n}", "wrong password")
    for _ in range(2):
        _try(client, "bob", "wrong password")
    failed = _entries(workspace, "login.failed")
    assert [(e.object_id, orjson.loads(e.after or "{}")["client"]) for e in failed] == \
        [(UNKNOWN_ACCOUNT, "testclient"), ("bob", "testclient")]
    assert not any("guess" in (e.after or "") + e.object_id for e in _entries(workspace, "login.failed"))
    # the windows' totals are written when they end (here: asked for as if the window were over)
    state: AppState = app.state.ctx
    _write_failed_logins(state, state.failures.due(datetime.now(UTC) + timedelta(minutes=16)))
    totals = {e.object_id: orjson.loads(e.after or "{}")["failures"]
              for e in _entries(workspace, "login.failed_summary")}
    assert totals == {UNKNOWN_ACCOUNT: 20, "bob": 2}
    with session_scope(workspace.engine()) as db:
        assert audit.verify(db)[1] == []


def _throttled_app(workspace: Workspace, catalog_view: CatalogView) -> FastAPI:
    settings = WebSettings(workspace=workspace.root, lockout_threshold=50, login_client_free_failures=6,
                           login_account_free_failures=3, argon2_time_cost=1, argon2_memory_kib=1024)
    return create_app(settings, workspace, catalog_view)


def test_per_account_back_off_is_the_same_for_existing_and_unknown_names(
        workspace: Workspace, catalog_view: CatalogView, make_user: Callable[[str, Role], str]) -> None:
    app = _throttled_app(workspace, catalog_view)
    make_user("bob", Role.ENGINEER)
    client = new_client(app)
    answers = {}
    for name in ("bob", "nobody"):
        statuses = [_try(client, name, "wrong password").status_code for _ in range(3)]
        assert statuses == [401, 401, 401]
        throttled = _try(client, name, PASSWORD)  # even the right password waits
        assert throttled.status_code == 429 and throttled.headers["retry-after"] == "1"
        answers[name] = throttled.text
    assert answers["bob"] == answers["nobody"]
    # the client has now failed 6 times: any further name waits too
    other = _try(client, "carol", "wrong password")
    assert other.status_code == 429 and int(other.headers["retry-after"]) >= 1


def test_throttle_waits_double_and_success_clears_the_account() -> None:
    now = datetime(2026, 12, 1, tzinfo=UTC)
    throttle = LoginThrottle(ThrottleRule(5, timedelta(minutes=15)),
                             ThrottleRule(2, timedelta(minutes=15), max_wait_seconds=8))
    waits = []
    for n in range(6):
        moment = now + timedelta(seconds=100 * n)
        waits.append(throttle.retry_after("10.0.0.1", "Bob", moment))
        throttle.failed("10.0.0.1", "bob ", moment)
    assert waits == [0, 0, 0, 0, 0, 0]  # 100 s apart: every wait had passed
    last = now + timedelta(seconds=500)
    assert throttle.retry_after("10.0.0.2", "BOB", last) == 8  # 6 failures: 2 free, 2**4 s capped at 8
    assert throttle.retry_after("10.0.0.1", "alice", last) == 2  # the client's 6th failure, 5 free: 2 s
    throttle.succeeded("bob")
    assert throttle.retry_after("10.0.0.2", "bob", last) == 0
    assert throttle.retry_after("10.0.0.1", "alice", last + timedelta(minutes=15)) == 0  # the window ended


def test_failure_tally_is_bounded_and_loses_no_count() -> None:
    start = datetime(2026, 12, 1, tzinfo=UTC)
    tally = FailureTally(timedelta(minutes=15), max_pairs=2)
    written = []
    for n in range(3):
        written += tally.failed(f"user{n}", "c", start)
        written += tally.failed(f"user{n}", "c", start)
    assert [(s.account, s.failures, s.first) for s in written] == [
        ("user0", 1, True), ("user1", 1, True), ("user2", 1, True), ("user0", 2, False)]
    assert [(s.account, s.failures) for s in tally.drain()] == [("user1", 2), ("user2", 2)]


def test_password_change_ends_other_sessions(app: FastAPI, make_user: Callable[[str, Role], str],
                                             workspace: Workspace) -> None:
    secret = make_user("erin", Role.AUDITOR)
    first, second = new_client(app), new_client(app)
    login(first, "erin", secret)
    with session_scope(workspace.engine()) as db:
        db.execute(update(UserRow).values(totp_last_step=None))
    login(second, "erin", secret)
    page = first.get("/account")
    new_password = "a brand new passphrase 42"
    changed = first.post("/account/password", data={"csrf_token": csrf_of(page.text), "current": PASSWORD,
                                                     "new": new_password, "confirm": new_password})
    assert changed.status_code == 200, changed.text
    assert first.get("/account").status_code == 200
    assert second.get("/account").headers["location"] == "/login"
    with session_scope(workspace.engine()) as db:
        assert len(db.scalars(select(SessionRow)).all()) == 1
    [entry] = _entries(workspace, "user.password")
    assert orjson.loads(entry.after or "{}") == {"other_sessions_ended": 1}


def test_wrong_current_passwords_lock_the_account_and_end_every_session(
        app: FastAPI, make_user: Callable[[str, Role], str], workspace: Workspace) -> None:
    secret = make_user("fred", Role.ENGINEER)
    client = new_client(app)
    login(client, "fred", secret)
    page = client.get("/account")
    short = client.post("/account/password", data={"csrf_token": csrf_of(page.text), "current": PASSWORD,
                                                   "new": "short", "confirm": "short"})
    assert short.status_code == 400 and "至少需要 12 個字元" in short.text  # states the minimum length
    answers = [client.post("/account/password", data={"csrf_token": csrf_of(page.text), "current": "not it",
                                                      "new": "another long passphrase", "confirm":
                                                      "another long passphrase"}) for _ in range(3)]
    assert [a.status_code for a in answers] == [400, 400, 401]
    assert "鎖定" in answers[2].text
    assert client.get("/account").headers["location"] == "/login"
    with session_scope(workspace.engine()) as db:
        assert db.scalars(select(SessionRow)).all() == []
        assert db.scalar(select(UserRow.locked_until).where(UserRow.username == "fred")) is not None
    assert [e.object_id for e in _entries(workspace, "login.lockout")] == ["fred"]
    refused = _try(new_client(app), "fred", PASSWORD, pyotp.TOTP(secret).now())
    assert refused.status_code == 401
