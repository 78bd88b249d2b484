"""The SQLite default queue: jobs run in child processes, survive a crash of the process that ran them
(queued ones resume, the interrupted one is retried), and a retried job's scan replaces, never duplicates,
what an earlier attempt recorded."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

from sqlalchemy import func, select

from csmguard.jobs import table
from csmguard.jobs.kinds import JOB_SCAN_NAMESPACE
from csmguard.jobs.queue import LocalQueue
from csmguard.services.audit import write_scope
from csmguard.services.records import record_scan_in
from csmguard.services.workspace import get_scan
from csmguard.store.db import session_scope
from csmguard.store.models import FindingRow, ScanRow
from csmguard.workspace import Workspace, init_workspace
from tests.jobs.conftest import wait_until

SERVER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from csmguard.jobs.queue import LocalQueue
    from csmguard.workspace import open_workspace
    ws = open_workspace(Path(sys.argv[1]))
    queue = LocalQueue(ws.engine(), ws.root, workers=1, poll_seconds=0.2)
    for url in sys.argv[2:]:
        print(queue.enqueue("scan.site", {"url": url, "allow_private": True, "subject": url}, owner="tester",
                            label=url), flush=True)
    time.sleep(3600)
""")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"


def _findings(workspace: Workspace, scan_id: str) -> int:
    with session_scope(workspace.engine()) as db:
        return int(db.execute(select(func.count()).select_from(FindingRow).where(FindingRow.scan_id == scan_id))
                   .scalar_one())


def test_a_crashed_queue_resumes_and_retries_after_a_restart(tmp_path: Path, slow_site: str) -> None:
    workspace = init_workspace(tmp_path / "ws")
    engine = workspace.engine()
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(workspace.root), slow_site, slow_site + "p1"],
                              stdout=subprocess.PIPE, text=True)
    assert server.stdout is not None
    first, second = server.stdout.readline().strip(), server.stdout.readline().strip()

    def running_in_child() -> bool:
        status = table.get(engine, first)
        return status is not None and status.state == "running" and status.child_pid is not None

    wait_until(running_in_child, 120, "the first job to run in its child process")
    child = table.get(engine, first)
    assert child is not None and child.child_pid is not None and child.child_pid != server.pid
    server.send_signal(signal.SIGKILL)  # the server dies mid-job; its job's child dies with it
    server.wait()
    wait_until(lambda: not _alive(child.child_pid or 0), 30, "the orphaned job process to end")
    assert table.get(engine, second).state == "queued"  # type: ignore[union-attr]

    queue = LocalQueue(engine, workspace.root, workers=1, poll_seconds=0.2)  # the restarted server
    queue.start()
    try:
        wait_until(lambda: all(s.finished for s in queue.recent()), 300, "both jobs to end after the restart")
    finally:
        queue.stop()
    retried, resumed = queue.status(first), queue.status(second)
    assert retried is not None and resumed is not None
    assert (retried.state, retried.attempts, resumed.state, resumed.attempts) == ("done", 2, "done", 1), \
        (retried, resumed)
    assert retried.result_id == str(uuid.uuid5(JOB_SCAN_NAMESPACE, first))
    with session_scope(engine) as db:
        assert db.execute(select(func.count()).select_from(ScanRow)).scalar_one() == 2
    document = get_scan(workspace, retried.result_id)
    assert document["scanner"] == "site" and len(document["findings"]) == _findings(workspace, retried.result_id)
    with session_scope(engine) as db:
        distinct = db.execute(select(func.count(func.distinct(FindingRow.fingerprint)))
                              .where(FindingRow.scan_id == retried.result_id)).scalar_one()
    assert 0 < _findings(workspace, retried.result_id) == distinct  # the crawled pages' links, none twice
    assert not (workspace.root / "jobs" / first).exists() and not (workspace.root / "jobs" / second).exists()
    workspace.close()


def test_recording_under_a_job_scan_id_twice_replaces_the_first(tmp_path: Path) -> None:
    from csmguard.services import messages_scan

    workspace = init_workspace(tmp_path / "ws")
    templates = tmp_path / "sms.txt"
    templates.write_text("親愛的客戶 A123456789 您好，您的帳號 0123456789012 密碼 Passw0rd! 已重設\n", encoding="utf-8")
    result = messages_scan.scan_messages([templates], messages_scan.load_messages_rules())
    failing = [f for f in result.findings if f.status.value == "fail"]
    assert failing, result.findings  # a real scan with findings to duplicate
    scan_id = "0f0e0d0c-0000-4000-8000-000000000001"
    for _ in range(2):  # the attempt a dead worker recorded, then the retry
        with write_scope(workspace.engine()) as db:
            assert record_scan_in(db, result, subject="sms", scan_id=scan_id) == scan_id
    with session_scope(workspace.engine()) as db:
        assert db.execute(select(func.count()).select_from(ScanRow)).scalar_one() == 1
        current = db.execute(select(func.count()).select_from(FindingRow).where(FindingRow.current.is_(True)))
        assert current.scalar_one() == len(result.findings)
    assert _findings(workspace, scan_id) == len(result.findings)
    workspace.close()


def test_cancelling_a_running_job_stops_its_process_and_records_nothing(tmp_path: Path, slow_site: str) -> None:
    workspace = init_workspace(tmp_path / "ws")
    queue = LocalQueue(workspace.engine(), workspace.root, workers=1, poll_seconds=0.2)
    try:
        job_id = queue.enqueue("scan.site", {"url": slow_site, "allow_private": True, "subject": slow_site},
                               owner="tester", label="slow")
        wait_until(lambda: bool((s := queue.status(job_id)) and s.state == "running" and s.child_pid), 120,
                   "the job to run")
        status = queue.status(job_id)
        assert status is not None and status.child_pid is not None
        assert queue.cancel(job_id) == "running"  # asked; the worker stops the child at its next heartbeat
        wait_until(lambda: bool((s := queue.status(job_id)) and s.finished), 60, "the job to stop")
        wait_until(lambda: not _alive(status.child_pid or 0), 30, "the job process to end")
    finally:
        queue.stop()
    assert queue.status(job_id).state == "cancelled"  # type: ignore[union-attr]
    with session_scope(workspace.engine()) as db:
        assert db.execute(select(func.count()).select_from(ScanRow)).scalar_one() == 0
    queued = table.insert(workspace.engine(), "scan.site", "tester", "later", {"url": slow_site, "subject": "x"})
    assert queue.cancel(queued) == "cancelled"  # a queued job is cancelled at once, never claimed
    assert not table.claim(workspace.engine(), queued, "someone:1")
    workspace.close()


def test_a_job_past_its_time_budget_is_stopped_and_failed(tmp_path: Path, slow_site: str) -> None:
    from csmguard.jobs.runner import Budget

    workspace = init_workspace(tmp_path / "ws")
    queue = LocalQueue(workspace.engine(), workspace.root, workers=1, poll_seconds=0.2,
                       budget=Budget(memory_mb=2048, seconds=3))
    try:
        job_id = queue.enqueue("scan.site", {"url": slow_site, "allow_private": True, "subject": slow_site},
                               owner="tester", label="slow")
        wait_until(lambda: bool((s := queue.status(job_id)) and s.finished), 120, "the job to be stopped")
    finally:
        queue.stop()
    status = queue.status(job_id)
    assert status is not None and status.state == "failed" and "time budget of 3 s" in status.message, status
    assert status.child_pid is not None and not _alive(status.child_pid)
    workspace.close()


def test_a_job_past_its_memory_budget_fails_with_a_message(tmp_path: Path) -> None:
    from csmguard.jobs.runner import Budget
    from csmguard.registers.io import RegisterFormat
    from csmguard.services import registers

    workspace = init_workspace(tmp_path / "ws")
    queue = LocalQueue(workspace.engine(), workspace.root, workers=1, poll_seconds=0.2,
                       budget=Budget(memory_mb=160, seconds=600))
    job_id, folder = queue.new_folder()
    header = registers.register_template("devices", RegisterFormat.CSV, "en")
    rows = "".join(f"D{n:06d},user{n % 700},IT,company,yes,iOS,17.1,yes,misplaced,,\n" for n in range(90_000))
    (folder / "devices.csv").write_bytes(header + rows.encode())
    try:
        queue.enqueue("register.import", {"register": "devices", "file": "devices.csv", "name": "devices.csv"},
                      owner="tester", label="big", job_id=job_id)
        wait_until(lambda: bool((s := queue.status(job_id)) and s.finished), 600, "the import to end")
    finally:
        queue.stop()
    status = queue.status(job_id)
    assert status is not None and status.state == "failed", status
    assert "memory budget of 160 MB" in status.message, status.message  # a message, not a traceback
    assert registers.list_records(workspace, "devices") == []
    workspace.close()
