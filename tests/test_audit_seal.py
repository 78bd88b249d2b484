"""The tamper-evident audit trail (issue #12.6): an HMAC chain keyed outside the database and signed
checkpoints outside it. ``audit verify`` names the first bad or missing entry for a cut tail, a chain
edited and re-hashed, a deleted middle entry; rows from before the HMAC era keep verifying."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
from alembic import command
from sqlalchemy import text
from typer.testing import CliRunner

from csmguard.audit import GENESIS_HASH, AuditEntry, seal
from csmguard.audit_seal import ENV_KEY
from csmguard.cli.main import app
from csmguard.services import audit
from csmguard.store.db import alembic_config, session_scope
from csmguard.workspace import Workspace, init_workspace, open_workspace

N = 60


@pytest.fixture
def ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Workspace]:
    monkeypatch.delenv(ENV_KEY, raising=False)
    workspace = init_workspace(tmp_path / "ws")
    yield workspace
    workspace.close()


def _fill(ws: Workspace, n: int = N) -> None:
    for i in range(n):
        with session_scope(ws.engine()) as db:
            audit.append(db, "alice", "register.update", "devices", f"D{i}", {"owner": f"old {i}"}, {"owner": f"{i}"})


def _verify(ws: Workspace) -> tuple[int, list[tuple[int, str]]]:
    with session_scope(ws.engine()) as db:
        count, problems = audit.verify(db)
    return count, [(p.seq, p.kind) for p in problems]


def _entries(ws: Workspace) -> list[AuditEntry]:
    with session_scope(ws.engine()) as db:
        return list(audit.iter_entries(db))


def _sql(ws: Workspace, statement: str, **params: object) -> None:
    with ws.engine().begin() as connection:
        connection.execute(text(statement), params)


def _cli_verify(ws: Workspace) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["audit", "verify", "-w", str(ws.root)], env={"COLUMNS": "300"})
    return result.exit_code, " ".join(result.output.split())


def test_intact_trail_key_and_checkpoints(ws: Workspace) -> None:
    _fill(ws)
    assert _verify(ws) == (N, [])
    key_file = ws.root / "private" / "audit.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_file.parent.stat().st_mode) == 0o700
    lines = [orjson.loads(line) for line in (ws.root / "private" / "audit-checkpoints.jsonl").read_bytes().splitlines()]
    assert lines[0]["type"] == "start" and lines[0]["seq"] == 1
    assert [(x["seq"], x["count"]) for x in lines[1:]] == [(i, i) for i in range(1, N + 1)]
    assert all(e.mac and len(e.mac) == 64 for e in _entries(ws))
    assert _cli_verify(ws) == (0, f"稽核軌跡完整 audit trail intact: {N} entries")


@pytest.mark.parametrize("cut", [1, 50])
def test_cut_tail_is_found(ws: Workspace, cut: int) -> None:
    _fill(ws)
    _sql(ws, "DELETE FROM audit_log WHERE seq > :keep", keep=N - cut)
    count, problems = _verify(ws)
    assert count == N - cut and problems == [(N - cut + 1, "missing")]
    code, out = _cli_verify(ws)
    assert code == 1 and f"first problem at entry {N - cut + 1} (missing)" in out
    assert "newest entries were cut" in out


def _rewrite_from(ws: Workspace, start: int, *, drop_macs: bool = False) -> None:
    """Edit entry ``start`` and re-hash it and every entry after it, as someone without the key can."""
    entries = _entries(ws)
    prev = entries[start - 2].hash if start > 1 else GENESIS_HASH
    for entry in entries[start - 1:]:
        actor = "mallory" if entry.seq == start else entry.actor
        forged = seal(entry.seq, entry.at, actor, entry.action, entry.object_type, entry.object_id, None, None, prev)
        forged = AuditEntry(**{**forged.__dict__, "before": entry.before, "after": entry.after, "hash": ""})
        digest = forged.computed_hash()
        _sql(ws, "UPDATE audit_log SET actor = :actor, prev_hash = :prev, hash = :hash, mac = :mac WHERE seq = :seq",
             actor=actor, prev=prev, hash=digest, seq=entry.seq, mac=None if drop_macs else entry.mac)
        prev = digest


def test_rewritten_chain_is_found_at_the_edited_entry(ws: Workspace) -> None:
    _fill(ws)
    _rewrite_from(ws, 20)
    _, problems = _verify(ws)
    assert problems[0] == (20, "forged")
    assert {kind for _, kind in problems} <= {"forged", "rewritten"}  # the hash chain itself is consistent
    assert _cli_verify(ws)[0] == 1


def test_rewritten_chain_without_macs_is_found(ws: Workspace) -> None:
    _fill(ws)
    _rewrite_from(ws, 20, drop_macs=True)
    assert _verify(ws)[1][0] == (20, "unsigned")


def test_deleted_middle_entry_is_found(ws: Workspace) -> None:
    _fill(ws)
    _sql(ws, "DELETE FROM audit_log WHERE seq = 30")
    assert _verify(ws)[1][0] == (30, "missing")
    code, out = _cli_verify(ws)
    assert code == 1 and "first problem at entry 30 (missing)" in out


def test_tail_deleted_then_written_again_is_found(ws: Workspace) -> None:
    _fill(ws)
    _sql(ws, "DELETE FROM audit_log WHERE seq = :last", last=N)
    _fill(ws, 1)  # the next write reuses the deleted entry's number
    assert _verify(ws)[1] == [(N, "rewritten")]


def test_damaged_or_missing_checkpoints_and_key_are_reported(ws: Workspace) -> None:
    _fill(ws, 5)
    checkpoints = ws.root / "private" / "audit-checkpoints.jsonl"
    lines = checkpoints.read_bytes().splitlines()
    record = orjson.loads(lines[3])
    record["seq"] = 99
    checkpoints.write_bytes(b"\n".join([*lines[:3], orjson.dumps(record), *lines[4:]]) + b"\n")
    assert (99, "checkpoint") in _verify(ws)[1]
    checkpoints.unlink()
    assert _verify(ws)[1] == [(1, "checkpoint")]
    (ws.root / "private" / "audit.key").unlink()
    _fill(ws, 1)  # a new key and a new checkpoint file: the older entries no longer verify
    problems = _verify(ws)[1]
    assert problems[0] == (1, "forged")


def test_key_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_KEY, "ab" * 32)
    workspace = init_workspace(tmp_path / "ws")
    try:
        _fill(workspace, 3)
        assert _verify(workspace) == (3, [])
        assert not (workspace.root / "private" / "audit.key").exists()
    finally:
        workspace.close()
    monkeypatch.setenv(ENV_KEY, "cd" * 32)
    other = open_workspace(tmp_path / "ws")
    try:
        assert {kind for _, kind in _verify(other)[1]} == {"forged", "checkpoint"}
    finally:
        other.close()
    monkeypatch.setenv(ENV_KEY, "not hex")
    result = CliRunner().invoke(app, ["audit", "verify", "-w", str(tmp_path / "ws")])
    assert result.exit_code == 2 and "not hexadecimal" in result.output


def test_rows_from_before_the_hmac_era_keep_verifying(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A database at the first web migration, with entries written without a key (as older versions did),
    is migrated; the old entries verify by their hashes, new ones are signed, and tampering with an old
    entry is still found."""
    monkeypatch.delenv(ENV_KEY, raising=False)
    workspace = init_workspace(tmp_path / "ws")
    engine = workspace.engine()
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "web_0001")
    prev = GENESIS_HASH
    for seq in range(1, 6):
        old = seal(seq, f"2026-01-0{seq}T00:00:00+00:00", "bob", "login", "user", "bob", None, None, prev)
        _sql(workspace, "INSERT INTO audit_log (seq, at, actor, action, object_type, object_id, before, after, "
             "prev_hash, hash) VALUES (:seq, :at, :actor, :action, :ot, :oid, NULL, NULL, :prev, :hash)",
             seq=seq, at=old.at, actor=old.actor, action=old.action, ot=old.object_type, oid=old.object_id,
             prev=prev, hash=old.hash)
        prev = old.hash
    workspace.close()
    reopened = open_workspace(tmp_path / "ws")  # migrates to the heads
    try:
        _fill(reopened, 3)
        assert _verify(reopened) == (8, [])
        assert [e.mac is None for e in _entries(reopened)] == [True] * 5 + [False] * 3
        _sql(reopened, "UPDATE audit_log SET actor = 'mallory' WHERE seq = 2")
        assert _verify(reopened)[1] == [(2, "edited")]
        _rewrite_from(reopened, 2)  # re-hashing everything after breaks the signed entries' MACs
        assert _verify(reopened)[1][0] == (6, "forged")
    finally:
        reopened.close()
