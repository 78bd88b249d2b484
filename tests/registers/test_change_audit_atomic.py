"""A register change and its audit entry are one transaction (issue #11.5): a real CLI process killed with
SIGKILL between them, or after both but before the commit, leaves neither; killed after the commit, both.
The web app goes through the same service: an audit entry that cannot be written undoes the change."""

from __future__ import annotations

import sqlite3
import textwrap
from pathlib import Path

import pytest

from csmguard.services import registers as svc
from csmguard.workspace import Workspace
from tests.registers.killing import kill_at_marker

# The child runs the real CLI; an engine event (registered by this script, not by the product) writes a
# marker file and waits to be killed after the statement named by argv[2] ("commit": after the command).
CHILD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from sqlalchemy import Engine, event

    marker, stop_at, argv = Path(sys.argv[1]), sys.argv[2], sys.argv[3:]

    def pause(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith(stop_at):
            marker.write_text(stop_at)
            time.sleep(120)

    event.listen(Engine, "after_cursor_execute", pause)
    from csmguard.cli.main import app
    try:
        app(argv)
    except SystemExit as done:
        if done.code not in (0, None):
            raise
    marker.write_text("commit")
    time.sleep(120)
""")


def _kill_at(argv: list[str], stop_at: str, marker: Path) -> None:
    kill_at_marker(CHILD, [str(marker), stop_at, *argv], marker)


def _state(ws: Workspace) -> tuple[list[str], list[tuple[str, str]]]:
    connection = sqlite3.connect(ws.root / "csmguard.db")
    try:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        devices = [row[0] for row in connection.execute("SELECT device_id FROM reg_devices ORDER BY device_id")]
        trail = [(row[0], row[1]) for row in connection.execute(
            "SELECT action, object_id FROM audit_log ORDER BY seq")]
        return devices, trail
    finally:
        connection.close()


ADD = ["register", "devices", "add", "device_id=D9", "owner=Amy"]
STOPS = [("INSERT INTO REG_DEVICES", False), ("INSERT INTO AUDIT_LOG", False), ("commit", True)]


@pytest.mark.slow
@pytest.mark.parametrize(("stop_at", "kept"), STOPS)
def test_killed_cli_add_leaves_both_or_neither(tmp_path: Path, ws: Workspace, stop_at: str, kept: bool) -> None:
    ws.close()
    _kill_at([*ADD, "-w", str(ws.root)], stop_at, tmp_path / "marker")
    assert (tmp_path / "marker").read_text() == stop_at
    expected = (["D9"], [("register.create", "D9")]) if kept else ([], [])
    assert _state(ws) == expected


@pytest.mark.slow
@pytest.mark.parametrize(("stop_at", "kept"), STOPS)
def test_killed_cli_import_leaves_both_or_neither(tmp_path: Path, ws: Workspace, stop_at: str, kept: bool) -> None:
    ws.close()
    path = tmp_path / "devices.csv"
    path.write_text("device_id,owner\n" + "".join(f"D{i},P{i}\n" for i in range(50)), encoding="utf-8")
    _kill_at(["register", "devices", "import", str(path), "-w", str(ws.root)], stop_at, tmp_path / "marker")
    devices, trail = _state(ws)
    if kept:
        assert len(devices) == 50 and trail == [("register.import", str(path))]
    else:
        assert (devices, trail) == ([], [])


def refuse_audit(ws: Workspace) -> None:
    """Make every audit write fail (a real SQLite trigger)."""
    connection = sqlite3.connect(ws.root / "csmguard.db")
    try:
        connection.execute("CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log "
                           "BEGIN SELECT RAISE(ABORT, 'audit refused'); END")
        connection.commit()
    finally:
        connection.close()


def test_a_change_whose_audit_fails_is_not_kept(ws: Workspace) -> None:
    refuse_audit(ws)
    with pytest.raises(Exception, match="audit refused"):
        svc.add_record(ws, "devices", {"device_id": "D1", "owner": "Amy"}, actor="alice")
    assert svc.list_records(ws, "devices") == []
