"""The web app on PostgreSQL: migrations of the web branch, log-in, a register change, concurrent writers
and the audit chain (tampering found) on a throwaway cluster."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import text

from csmguard.auth.roles import Role
from csmguard.services import audit, registers, web_accounts
from csmguard.services.catalog import CatalogView
from csmguard.store.db import session_scope
from csmguard.web.app import create_app
from csmguard.web.settings import WebSettings
from csmguard.workspace import init_workspace
from tests.store.conftest import pg_server, pg_url  # noqa: F401 - fixtures shared with the store tests
from tests.web.conftest import FAST_HASH, PASSWORD, POLICY, csrf_of, login, new_client

pytestmark = pytest.mark.postgres


def test_web_app_on_postgresql(pg_url: str, tmp_path: Path, catalog_view: CatalogView) -> None:  # noqa: F811
    workspace = init_workspace(tmp_path / "ws", db_url=pg_url)
    app = create_app(WebSettings(workspace=workspace.root, **FAST_HASH), workspace, catalog_view)
    with session_scope(workspace.engine()) as db:
        for n in range(6):
            web_accounts.create_user(db, "test", f"officer{n}", "O", Role.COMPLIANCE_OFFICER, PASSWORD, POLICY)

    def add_provider(n: int) -> int:
        client = new_client(app)
        login(client, f"officer{n}", None)
        page = client.get("/registers/cloud-providers")
        return client.post("/registers/cloud-providers", data={"csrf_token": csrf_of(page.text),
                                                                "name": f"Cloud {n}"}).status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        assert list(pool.map(add_provider, range(6))) == [303] * 6
    assert sorted(s.key for s in registers.list_records(workspace, "cloud-providers")) == \
        [f"Cloud {n}" for n in range(6)]
    with session_scope(workspace.engine()) as db:
        count, problems = audit.verify(db)
    assert (count, problems) == (6 + 6 + 6, [])
    with workspace.engine().begin() as conn:
        conn.execute(text("UPDATE audit_log SET actor = 'mallory' WHERE seq = 8"))
        conn.execute(text("DELETE FROM audit_log WHERE seq = 12"))
    with session_scope(workspace.engine()) as db:
        _count, problems = audit.verify(db)
    assert [(p.seq, p.kind) for p in problems] == [(8, "edited"), (12, "missing")]
    workspace.close()
