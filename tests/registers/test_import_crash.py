"""A process killed in the middle of an import leaves the database consistent: the import is one
transaction, so after SIGKILL either nothing or everything of it is there."""

from __future__ import annotations

import sqlite3
import textwrap
from pathlib import Path

import pytest

from csmguard.services import registers as svc
from csmguard.workspace import Workspace, open_workspace
from tests.registers.killing import kill_at_marker

ROWS = 1200

# The child imports the file; an engine event (registered by this script, not by the product) counts the
# INSERTs of the import and, at the chosen point, writes a marker file and waits to be killed.
CHILD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from sqlalchemy import Engine, event
    from csmguard.services import registers as svc
    from csmguard.workspace import open_workspace

    root, csv_path, marker, stop_after = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])
    inserted = 0

    def count(conn, cursor, statement, parameters, context, executemany):
        global inserted
        if statement.lstrip().upper().startswith("INSERT INTO REG_DEVICES"):
            inserted += 1
            if stop_after and inserted == stop_after:
                marker.write_text("inside the transaction")
                time.sleep(120)

    event.listen(Engine, "after_cursor_execute", count)
    ws = open_workspace(root)
    svc.import_records(ws, "devices", csv_path)
    marker.write_text("committed")
    time.sleep(120)
""")


def _big_csv(path: Path) -> Path:
    lines = ["device_id,owner,department,ownership,holds_sensitive_data,mdm_managed"]
    lines += [f"DEV-{i:05d},Person {i},Dept {i % 7},{'byod' if i % 3 else 'company'},true,false"
              for i in range(ROWS)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _run_and_kill(ws: Workspace, csv_path: Path, marker: Path, stop_after: int) -> None:
    ws.close()
    kill_at_marker(CHILD, [str(ws.root), str(csv_path), str(marker), str(stop_after)], marker)


def _check_database(ws: Workspace) -> int:
    db = ws.root / "csmguard.db"
    connection = sqlite3.connect(db)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        return int(connection.execute("SELECT count(*) FROM reg_devices").fetchone()[0])
    finally:
        connection.close()


@pytest.mark.slow
def test_kill_inside_the_import_transaction_leaves_nothing(tmp_path: Path, ws: Workspace) -> None:
    svc.add_record(ws, "devices", {"device_id": "EXISTING", "owner": "Before"})
    csv_path = _big_csv(tmp_path / "devices.csv")
    marker = tmp_path / "marker"
    _run_and_kill(ws, csv_path, marker, stop_after=ROWS // 2)
    assert marker.read_text() == "inside the transaction"
    assert _check_database(ws) == 1
    reopened = open_workspace(ws.root)
    try:
        assert [s.key for s in svc.list_records(reopened, "devices")] == ["EXISTING"]
        # the workspace still works: the same import now goes through completely
        report = svc.import_records(reopened, "devices", csv_path)
        assert report.created == ROWS
        assert len(svc.list_records(reopened, "devices")) == ROWS + 1
    finally:
        reopened.close()
    assert _check_database(ws) == ROWS + 1


@pytest.mark.slow
def test_kill_after_the_commit_keeps_everything(tmp_path: Path, ws: Workspace) -> None:
    csv_path = _big_csv(tmp_path / "devices.csv")
    marker = tmp_path / "marker"
    _run_and_kill(ws, csv_path, marker, stop_after=0)
    assert marker.read_text() == "committed"
    assert _check_database(ws) == ROWS
