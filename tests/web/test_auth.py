"""Accounts through the real app: first set-up with TOTP, log-in, lock-out, sessions, CSRF, headers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pyotp
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from csmguard.auth.roles import Role
from csmguard.services import web_accounts
from csmguard.services.catalog import CatalogView
from csmguard.store.db import session_scope
from csmguard.store.models_web import SessionRow, UserRow
from csmguard.web.app import create_app
from csmguard.web.settings import WebSettings
from csmguard.workspace import Workspace
from tests.web.conftest import PASSWORD, POLICY, csrf_of, login, new_client


def test_first_admin_setup_requires_totp_then_closes(app: FastAPI) -> None:
    client = new_client(app)
    assert client.get("/login").headers["location"] == "/setup"
    page = client.get("/setup")
    assert page.status_code == 200
    assert "建立第一位系統管理者" in page.text
    token = csrf_of(page.text)
    # a bad CSRF token is refused and creates nothing
    refused = client.post("/setup", data={"username": "alice", "password": PASSWORD, "password_confirm": PASSWORD,
                                          "csrf_token": "forged"})
    assert refused.status_code == 403
    assert client.get("/setup").status_code == 200
    done = client.post("/setup", data={"username": "alice", "password": PASSWORD, "password_confirm": PASSWORD,
                                       "display_name": "Alice", "csrf_token": token})
    assert done.status_code == 303 and done.headers["location"] == "/account/totp"
    # until TOTP is enrolled, the app sends the new administrator back to enrolment
    assert client.get("/account").headers["location"] == "/account/totp"
    enrol = client.get("/account/totp")
    assert "<svg" in enrol.text
    secret = enrol.text.split('id="totp-secret">')[1].split("<")[0]
    wrong = client.post("/account/totp", data={"code": "000000", "csrf_token": csrf_of(enrol.text)})
    assert wrong.status_code == 400
    ok = client.post("/account/totp", data={"code": pyotp.TOTP(secret).now(), "csrf_token": csrf_of(wrong.text)})
    assert ok.status_code == 303 and ok.headers["location"] == "/"
    assert client.get("/account").status_code == 200
    # set-up is closed once an account exists
    other = new_client(app)
    assert other.get("/setup").headers["location"] == "/login"


def test_login_needs_totp_code_and_locks_out(app: FastAPI, make_user: Callable[[str, Role], str],
                                             workspace: Workspace) -> None:
    secret = make_user("bob", Role.ADMINISTRATOR)
    client = new_client(app)
    page = client.get("/login")
    no_code = client.post("/login", data={"username": "bob", "password": PASSWORD, "csrf_token": csrf_of(page.text)})
    assert no_code.status_code == 401
    assert "帳號、密碼或驗證碼不正確" in no_code.text
    client.post("/login", data={"username": "bob", "password": "wrong", "code": pyotp.TOTP(secret).now(),
                                "csrf_token": csrf_of(page.text)})
    third = client.post("/login", data={"username": "bob", "password": "wrong", "csrf_token": csrf_of(page.text)})
    assert third.status_code == 401 and "鎖定" in third.text  # the one message says accounts get locked
    with session_scope(workspace.engine()) as db:
        assert db.scalar(select(UserRow.locked_until).where(UserRow.username == "bob")) is not None
    # locked: even the right password and code are refused, with the same answer as a wrong password
    locked = client.post("/login", data={"username": "bob", "password": PASSWORD, "code": pyotp.TOTP(secret).now(),
                                         "csrf_token": csrf_of(page.text)})
    assert locked.status_code == 401 and locked.text == third.text
    with session_scope(workspace.engine()) as db:
        db.execute(update(UserRow).values(locked_until=None))
    login(client, "bob", secret)


def test_totp_code_cannot_be_replayed(app: FastAPI, make_user: Callable[[str, Role], str]) -> None:
    secret = make_user("carol", Role.ENGINEER)
    code = pyotp.TOTP(secret).now()  # one code, used twice
    outcomes = []
    for client in (new_client(app), new_client(app)):
        page = client.get("/login")
        outcomes.append(client.post("/login", data={"username": "carol", "password": PASSWORD, "code": code,
                                                    "csrf_token": csrf_of(page.text)}).status_code)
    assert outcomes == [303, 401]


def test_session_cookie_flags_idle_timeout_and_logout(app: FastAPI, make_user: Callable[[str, Role], str],
                                                      workspace: Workspace) -> None:
    secret = make_user("dave", Role.AUDITOR)
    client = new_client(app)
    page = client.get("/login")
    response = client.post("/login", data={"username": "dave", "password": PASSWORD,
                                           "code": pyotp.TOTP(secret).now(), "csrf_token": csrf_of(page.text)})
    cookie = response.headers["set-cookie"]
    assert "csmguard_session=" in cookie and "HttpOnly" in cookie and "Secure" in cookie
    assert "SameSite=strict" in cookie or "SameSite=Strict" in cookie
    assert client.get("/account").status_code == 200
    with session_scope(workspace.engine()) as db:
        db.execute(update(SessionRow).values(last_seen_at=datetime.now(UTC) - timedelta(minutes=31)))
    assert client.get("/account").headers["location"] == "/login"
    with session_scope(workspace.engine()) as db:
        assert db.scalars(select(SessionRow)).all() == []
    login_again = new_client(app)
    web_accounts_secret = secret
    with session_scope(workspace.engine()) as db:
        db.execute(update(UserRow).values(totp_last_step=None))
    login(login_again, "dave", web_accounts_secret)
    account = login_again.get("/account")
    out = login_again.post("/logout", data={"csrf_token": csrf_of(account.text)})
    assert out.headers["location"] == "/login"
    assert login_again.get("/account").headers["location"] == "/login"


def test_absolute_timeout(app: FastAPI, make_user: Callable[[str, Role], str], workspace: Workspace) -> None:
    secret = make_user("erin", Role.AUDITOR)
    client = new_client(app)
    login(client, "erin", secret)
    with session_scope(workspace.engine()) as db:
        db.execute(update(SessionRow).values(created_at=datetime.now(UTC) - timedelta(hours=13)))
    assert client.get("/account").headers["location"] == "/login"


def test_security_headers_and_no_inline_script(app: FastAPI) -> None:
    client = new_client(app)
    page = client.get("/setup")
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["referrer-policy"] == "same-origin"
    assert page.headers["strict-transport-security"].startswith("max-age=")
    assert "<script>" not in page.text and "<script src=\"/static/htmx.min.js\"" in page.text
    plain = TestClient(app, base_url="http://testserver", follow_redirects=False).get("/setup")
    assert "strict-transport-security" not in plain.headers
    assert client.get("/static/htmx.min.js").status_code == 200


def test_weak_password_and_taken_name_refused(workspace: Workspace) -> None:
    policy = POLICY
    with session_scope(workspace.engine()) as db:
        web_accounts.create_user(db, "t", "frank", "", Role.ENGINEER, PASSWORD, policy)
    cases = [("frank", PASSWORD, "username_taken"), ("Frank", PASSWORD, "username_taken"),
             ("gina", "short", "password_too_short"), ("gina", "gina-is-my-password", "password_contains_username"),
             ("bad name!", PASSWORD, "bad_username")]
    for name, password, key in cases:
        try:
            with session_scope(workspace.engine()) as db:
                web_accounts.create_user(db, "t", name, "", Role.ENGINEER, password, policy)
        except web_accounts.AccountError as error:
            assert error.key == key
        else:
            raise AssertionError(f"{name}/{password} was accepted")


def test_totp_enforced_for_everyone_by_setting(settings: WebSettings, workspace: Workspace,
                                               catalog_view: CatalogView) -> None:
    app = create_app(settings.model_copy(update={"require_totp_for_all": True}), workspace, catalog_view)
    with session_scope(workspace.engine()) as db:
        web_accounts.create_user(db, "t", "ivan", "Ivan", Role.ENGINEER, PASSWORD, POLICY)
    client = new_client(app)
    page = client.get("/login")
    response = client.post("/login", data={"username": "ivan", "password": PASSWORD, "csrf_token": csrf_of(page.text)})
    assert response.headers["location"] == "/account/totp"
    assert client.get("/catalog").headers["location"] == "/account/totp"
    enrol = client.get("/account/totp")
    secret = enrol.text.split('id="totp-secret">')[1].split("<")[0]
    done = client.post("/account/totp", data={"code": pyotp.TOTP(secret).now(), "csrf_token": csrf_of(enrol.text)})
    assert done.headers["location"] == "/"
    assert client.get("/catalog").status_code == 200
