"""The OpenAPI schema exercised by schemathesis (property-based) against the ASGI app: no server error.

Requests carry an administrator's session cookie and CSRF token and a CI token, so that generated
data reaches the handlers instead of stopping at the log-in redirect.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyotp
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from csmguard.auth.roles import Role, TokenScope
from csmguard.services import web_accounts
from csmguard.services.catalog import open_catalog
from csmguard.store.db import session_scope
from csmguard.web.app import create_app
from csmguard.web.settings import WebSettings
from csmguard.workspace import init_workspace
from tests.web.conftest import FAST_HASH, PASSWORD, POLICY

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def fuzz_target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """An app over a fresh workspace, an administrator's session and an engineer's API token."""
    root: Path = tmp_path_factory.mktemp("fuzz") / "ws"
    workspace = init_workspace(root)
    app = create_app(WebSettings(workspace=root, **FAST_HASH), workspace, open_catalog("csm-17"))
    with session_scope(workspace.engine()) as db:
        admin = web_accounts.create_user(db, "test", "admin", "Admin", Role.ADMINISTRATOR, PASSWORD, POLICY)
        secret = web_accounts.begin_totp_enrolment(db, admin)
        web_accounts.confirm_totp_enrolment(db, admin, pyotp.TOTP(secret).now())
        cookie = web_accounts.open_session(db, admin, web_accounts.STAGE_FULL)
        engineer = web_accounts.create_user(db, "test", "ci", "CI", Role.ENGINEER, PASSWORD, POLICY)
        _row, api_token = web_accounts.create_token(db, engineer, "ci", [TokenScope.SCANS_WRITE], None)
    with session_scope(workspace.engine()) as db:
        loaded = web_accounts.load_session(db, cookie, POLICY)
        assert loaded is not None
        csrf = loaded[0].csrf_token
    yield {"app": app, "headers": {"Cookie": f"csmguard_session={cookie}", "X-CSRF-Token": csrf,
                                   "Authorization": f"Bearer {api_token}"}}
    workspace.close()


def test_no_server_error(fuzz_target: dict[str, Any]) -> None:
    api = schemathesis.openapi.from_asgi("/openapi.json", fuzz_target["app"]).exclude(path="/logout")
    operations = [result.ok() for result in api.get_all_operations()]
    assert len(operations) > 30
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
                  database=None)
        def no_server_error(case: Any) -> None:
            response = case.call(headers=fuzz_target["headers"])
            assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.status_code}"

        no_server_error()
