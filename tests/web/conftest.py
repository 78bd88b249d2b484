"""Fixtures of the web tests: a fresh workspace, the app over it, and logged-in clients per role."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pyotp
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from playwright.sync_api import Browser

from csmguard.auth.roles import Role
from csmguard.services import web_accounts
from csmguard.services.catalog import CatalogView, open_catalog
from csmguard.store.db import session_scope
from csmguard.web.app import create_app
from csmguard.web.settings import WebSettings
from csmguard.workspace import Workspace, init_workspace

PASSWORD = "correct horse battery staple"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync"]
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    """The CSRF token of the first form of a page."""
    match = CSRF_RE.search(html)
    assert match, "the page has no form with a CSRF token"
    return match.group(1)


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    """A new workspace with an empty database."""
    ws = init_workspace(tmp_path / "ws")
    yield ws
    ws.close()


# Cheap Argon2id costs keep the tests quick; the production defaults are RFC 9106's.
FAST_HASH = {"argon2_time_cost": 1, "argon2_memory_kib": 1024}
POLICY = web_accounts.Policy(argon2_time_cost=1, argon2_memory_kib=1024)


@pytest.fixture(scope="session")
def catalog_view() -> CatalogView:
    """The shipped catalog with every rule, loaded once."""
    return open_catalog("csm-17")


@pytest.fixture
def settings(workspace: Workspace) -> WebSettings:
    """Web settings with a low lock-out threshold and a small upload limit; log-in throttling is loosened so
    that the lock-out can be seen (tests/web/test_login_hardening.py tests throttling)."""
    return WebSettings(workspace=workspace.root, lockout_threshold=3, max_upload_mb=2, login_client_free_failures=1000,
                       login_account_free_failures=1000, **FAST_HASH)


@pytest.fixture
def app(settings: WebSettings, workspace: Workspace, catalog_view: CatalogView) -> FastAPI:
    """The app over the test workspace."""
    return create_app(settings, workspace, catalog_view)


def new_client(app: FastAPI) -> TestClient:
    """A client on https:// so that Secure cookies are sent back."""
    return TestClient(app, base_url="https://testserver", follow_redirects=False)


@pytest.fixture
def make_user(workspace: Workspace) -> Callable[[str, Role], str]:
    """Create an account directly through the service; returns its TOTP secret (enrolled)."""

    def make(username: str, role: Role) -> str:

        with session_scope(workspace.engine()) as db:
            user = web_accounts.create_user(db, "test", username, username.title(), role, PASSWORD, POLICY)
            secret = web_accounts.begin_totp_enrolment(db, user)
            web_accounts.confirm_totp_enrolment(db, user, pyotp.TOTP(secret).now())
            user.totp_last_step = None
        return secret

    return make


def login(client: TestClient, username: str, secret: str | None) -> None:
    """Log ``username`` in through the form (with a fresh TOTP code)."""
    page = client.get("/login")
    assert page.status_code == 200, page.text
    code = pyotp.TOTP(secret).now() if secret else ""
    response = client.post("/login", data={"username": username, "password": PASSWORD, "code": code,
                                           "csrf_token": csrf_of(page.text)})
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/"


@pytest.fixture
def clients(app: FastAPI, make_user: Callable[[str, Role], str]) -> dict[Role, TestClient]:
    """One logged-in client per role."""
    result = {}
    for role in Role:
        name = role.value.replace("_", "")
        secret = make_user(name, role)
        client = new_client(app)
        login(client, name, secret)
        result[role] = client
    return result


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """``app`` served by uvicorn on a free loopback port, in a thread; yields its base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(400):
        if server.started:
            break
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


@pytest.fixture
def browser() -> Iterator[Browser]:
    """Headless Chromium from Debian (imported only by the browser tests that ask for it)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield chromium
        chromium.close()
