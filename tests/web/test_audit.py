"""The hash-chained audit trail: every change is recorded; edits and deletions are found and located."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import orjson
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select, text, update
from typer.testing import CliRunner

from csmguard.auth.roles import Role
from csmguard.cli.main import app as cli
from csmguard.services import audit, web_accounts
from csmguard.store.db import session_scope
from csmguard.store.models_web import UserRow
from csmguard.workspace import Workspace
from tests.web.conftest import PASSWORD, POLICY, csrf_of, new_client


def _fill(workspace: Workspace, n: int = 5) -> None:
    with session_scope(workspace.engine()) as db:
        for i in range(n):
            audit.append(db, "alice", "register.update", "provider", f"P{i}", {"name": f"old {i}"},
                         {"name": f"new {i}", "nested": {"b": 1, "a": [1, 2]}})


def _verify(workspace: Workspace) -> tuple[int, list[tuple[int, str]]]:
    with session_scope(workspace.engine()) as db:
        count, problems = audit.verify(db)
    return count, [(p.seq, p.kind) for p in problems]


def test_intact_chain_verifies(workspace: Workspace) -> None:
    _fill(workspace)
    assert _verify(workspace) == (5, [])
    result = CliRunner().invoke(cli, ["audit", "verify", "-w", str(workspace.root)])
    assert result.exit_code == 0, result.output


def test_edited_entry_is_found_at_its_position(workspace: Workspace) -> None:
    _fill(workspace)
    with workspace.engine().begin() as conn:
        conn.execute(text("UPDATE audit_log SET after = '{\"name\":\"forged\"}' WHERE seq = 3"))
    assert _verify(workspace) == (5, [(3, "edited")])
    result = CliRunner().invoke(cli, ["audit", "verify", "-w", str(workspace.root)])
    assert result.exit_code == 1
    assert "entry 3" in result.output


def test_rehashed_edit_breaks_the_next_link(workspace: Workspace) -> None:
    _fill(workspace)
    with session_scope(workspace.engine()) as db:
        entries = list(audit.iter_entries(db))
    forged = entries[1].__class__(**{**entries[1].__dict__, "actor": "mallory", "hash": ""})
    with workspace.engine().begin() as conn:
        conn.execute(text("UPDATE audit_log SET actor = 'mallory', hash = :h WHERE seq = 2"),
                     {"h": forged.computed_hash()})
    # without the key the MAC cannot be made again: the edit is found at its own entry
    assert _verify(workspace) == (5, [(2, "forged"), (3, "relinked")])


def test_deleted_entry_is_found_at_its_position(workspace: Workspace) -> None:
    _fill(workspace)
    with workspace.engine().begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE seq = 4"))
    assert _verify(workspace) == (4, [(4, "missing")])
    result = CliRunner().invoke(cli, ["audit", "verify", "-w", str(workspace.root)])
    assert result.exit_code == 1 and "entries 4 are missing" in result.output


def test_auditor_views_verifies_and_exports(clients: dict[Role, TestClient], workspace: Workspace) -> None:
    auditor = clients[Role.AUDITOR]
    page = auditor.get("/audit")
    assert page.status_code == 200
    # the log-ins of the test users (one per role) are in the trail
    assert "<code>login</code>" in page.text
    verify = auditor.get("/audit/verify", headers={"HX-Request": "true"})
    assert "雜湊鏈完整" in verify.text
    exported = orjson.loads(auditor.get("/audit/export.json").content)
    actions = [item["action"] for item in exported]
    assert actions.count("user.create") == len(Role) and actions.count("login") == len(Role)
    assert exported[0]["seq"] == 1 and exported[0]["after"]["role"] in {r.value for r in Role}
    rows = list(csv.DictReader(io.StringIO(auditor.get("/audit/export.csv").content.decode("utf-8-sig"))))
    assert [row["seq"] for row in rows] == [str(i) for i in range(1, len(exported) + 1)]
    assert clients[Role.ENGINEER].get("/audit").status_code == 403


def test_admin_changes_are_audited_with_before_and_after(clients: dict[Role, TestClient],
                                                         make_user: Callable[[str, Role], str],
                                                         workspace: Workspace) -> None:
    admin = clients[Role.ADMINISTRATOR]
    page = admin.get("/admin/users")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    with session_scope(workspace.engine()) as db:
        target = next(u for u in web_accounts.list_users(db) if u.username == "engineer")
    response = admin.post(f"/admin/users/{target.id}", data={"operation": "role", "role": "auditor",
                                                             "csrf_token": token})
    assert response.status_code == 200
    with session_scope(workspace.engine()) as db:
        last = audit.page(db, None, 1, "user.update")[0]
    assert last.actor == "administrator"
    assert orjson.loads(last.before or "null")["role"] == "engineer"
    assert orjson.loads(last.after or "null")["role"] == "auditor"


def test_cli_export_and_console_recovery(workspace: Workspace, make_user: Callable[[str, Role], str]) -> None:
    make_user("zoe", Role.ADMINISTRATOR)
    with session_scope(workspace.engine()) as db:
        db.execute(update(UserRow).values(failed_logins=0, locked_until=datetime.now(UTC) + timedelta(hours=1)))
    runner = CliRunner()
    listed = runner.invoke(cli, ["user", "list", "-w", str(workspace.root)])
    assert listed.exit_code == 0 and "zoe\tadministrator\tactive=True\ttotp=True locked-until=" in listed.output
    assert runner.invoke(cli, ["user", "unlock", "zoe", "-w", str(workspace.root)]).exit_code == 0
    assert runner.invoke(cli, ["user", "reset-totp", "zoe", "-w", str(workspace.root)]).exit_code == 0
    assert runner.invoke(cli, ["user", "unlock", "nobody", "-w", str(workspace.root)]).exit_code == 2
    with session_scope(workspace.engine()) as db:
        zoe = db.scalars(select(UserRow)).one()
        assert (zoe.locked_until, zoe.totp_enabled, zoe.totp_secret) == (None, False, None)
    exported = runner.invoke(cli, ["audit", "export", "-f", "csv", "-w", str(workspace.root)])
    rows = list(csv.DictReader(io.StringIO(exported.stdout.lstrip("\ufeff"))))
    assert [(r["actor"], r["action"]) for r in rows] == [
        ("test", "user.create"), ("zoe", "user.totp_enrol"), ("console", "user.update"), ("console", "user.update")]


def test_concurrent_writers_keep_one_intact_chain(app: FastAPI, workspace: Workspace) -> None:
    """Log-ins (read, then write and audit) from many threads at once: none fails, the chain stays whole."""
    with session_scope(workspace.engine()) as db:
        for n in range(12):
            web_accounts.create_user(db, "test", f"user{n}", "U", Role.AUDITOR, PASSWORD, POLICY)

    def log_in(n: int) -> list[int]:
        client = new_client(app)
        token = csrf_of(client.get("/login").text)
        wrong = client.post("/login", data={"username": f"user{n}", "password": "wrong", "csrf_token": token})
        right = client.post("/login", data={"username": f"user{n}", "password": PASSWORD, "csrf_token": token})
        return [wrong.status_code, right.status_code, client.get("/catalog").status_code]

    with ThreadPoolExecutor(max_workers=12) as pool:
        outcomes = list(pool.map(log_in, range(12)))
    assert outcomes == [[401, 303, 200]] * 12
    count, problems = _verify(workspace)
    assert (count, problems) == (12 + 24, [])
    with session_scope(workspace.engine()) as db:
        actions = [entry.action for entry in audit.iter_entries(db)]
    assert sorted(set(actions)) == ["login", "login.failed", "user.create"]
