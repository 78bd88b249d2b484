"""Two CLI imports into one SQLite workspace at once (issue #12.8): the second waits for the first (the
busy timeout); when the first holds the database longer than that, the second ends with a clear
"workspace is busy" error, exit 2, no traceback, and changes nothing."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from csmguard.store.db import BUSY_TIMEOUT_SECONDS
from csmguard.workspace import init_workspace

# The first process: a real CLI import that, once inside its write transaction (after its first INSERT),
# writes a marker and holds the transaction for argv[2] seconds, or until the file argv[3] exists (a hook of
# this script, not the product).
HOLDER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from sqlalchemy import Engine, event

    marker, hold, release, argv = Path(sys.argv[1]), float(sys.argv[2]), Path(sys.argv[3]), sys.argv[4:]
    held = False

    def pause(conn, cursor, statement, parameters, context, executemany):
        global held
        if not held and statement.lstrip().upper().startswith("INSERT INTO REG_DEVICES"):
            held = True
            marker.write_text("holding")
            until = time.monotonic() + hold
            while time.monotonic() < until and not release.exists():
                time.sleep(0.05)

    event.listen(Engine, "after_cursor_execute", pause)
    from csmguard.cli.main import app
    app(argv)
""")
CLI = "from csmguard.cli.main import app; app()"


def _env() -> dict[str, str]:
    src = str(Path(__file__).resolve().parents[2] / "src")
    return {**os.environ, "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")]), "COLUMNS": "300"}


def _csv(path: Path, prefix: str) -> Path:
    path.write_text("device_id,owner\n" + "".join(f"{prefix}{i},P{i}\n" for i in range(20)), encoding="utf-8")
    return path


def _devices(root: Path) -> int:
    connection = sqlite3.connect(root / "csmguard.db")
    try:
        return int(connection.execute("SELECT count(*) FROM reg_devices").fetchone()[0])
    finally:
        connection.close()


def _two_imports(tmp_path: Path, hold: float) -> tuple[subprocess.CompletedProcess[str], int]:
    """The first import holds its transaction for ``hold`` seconds or until the second has ended."""
    root = tmp_path / "ws"
    init_workspace(root).close()
    marker, release = tmp_path / "marker", tmp_path / "release"
    first = subprocess.Popen([sys.executable, "-c", HOLDER, str(marker), str(hold), str(release),
                              "register", "devices", "import",
                              str(_csv(tmp_path / "a.csv", "A")), "-w", str(root)], env=_env(),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            if first.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the first import never took the write lock: {first.communicate()[1][-2000:]}")
            time.sleep(0.05)
        second = subprocess.run([sys.executable, "-c", CLI, "register", "devices", "import",
                                 str(_csv(tmp_path / "b.csv", "B")), "-w", str(root)], env=_env(),
                                capture_output=True, text=True, timeout=120)
        release.write_text("done")
        _, err = first.communicate(timeout=120)
        assert first.returncode == 0, err
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    return second, _devices(root)


@pytest.mark.slow
def test_second_import_waits_for_the_first(tmp_path: Path) -> None:
    second, devices = _two_imports(tmp_path, hold=1.5)
    assert second.returncode == 0, second.stderr
    assert devices == 40


@pytest.mark.slow
def test_second_import_past_the_busy_timeout_is_a_clear_error(tmp_path: Path) -> None:
    second, devices = _two_imports(tmp_path, hold=120)  # held until the second import has given up
    assert second.returncode == 2, second.stderr
    message = " ".join(second.stderr.split())
    assert "workspace is busy" in message and "工作區忙碌中" in message
    assert f"more than {BUSY_TIMEOUT_SECONDS} s" in message
    assert "Traceback" not in second.stderr and "database is locked" not in second.stderr
    assert devices == 20  # only the first import's rows
