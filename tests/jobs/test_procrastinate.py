"""The PostgreSQL queue (procrastinate) against a real PostgreSQL on loopback, with real ``csmguard worker``
processes: a worker killed with SIGKILL mid-job leaves the job to another worker, which retries it without
duplicate findings; two workers complete 100 jobs exactly once each."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
from sqlalchemy import func, select, text

from csmguard.jobs import table
from csmguard.jobs.kinds import JOB_SCAN_NAMESPACE
from csmguard.jobs.pg import ProcrastinateQueue
from csmguard.store.db import session_scope
from csmguard.store.models import FindingRow, ScanRow
from csmguard.store.models_web import AuditRow
from csmguard.workspace import Workspace, init_workspace
from tests.jobs.conftest import wait_until

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_workspace(tmp_path: Path, pg_url: str) -> Iterator[Workspace]:
    """A workspace on a new PostgreSQL database."""
    workspace = init_workspace(tmp_path / "ws", db_url=pg_url)
    yield workspace
    workspace.close()


def _worker(workspace: Workspace, log: Path) -> subprocess.Popen[bytes]:
    command = [str(Path(sys.executable).with_name("csmguard")), "worker", "-w", str(workspace.root),
               "--concurrency", "2", "--stalled-after", "4", "--heartbeat-seconds", "1"]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log.open("wb"))


def _stop(workers: list[subprocess.Popen[bytes]]) -> None:
    for worker in workers:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
    for worker in workers:
        try:
            worker.wait(timeout=60)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def _count(workspace: Workspace, model: type[ScanRow] | type[FindingRow], **where: str) -> int:
    query = select(func.count()).select_from(model)
    for column, value in where.items():
        query = query.where(getattr(model, column) == value)
    with session_scope(workspace.engine()) as db:
        return int(db.execute(query).scalar_one())


def test_a_killed_worker_job_is_retried_elsewhere_without_duplicates(pg_workspace: Workspace, slow_site: str,
                                                                       tmp_path: Path) -> None:
    queue = ProcrastinateQueue(pg_workspace.engine(), pg_workspace.root, pg_workspace.db_url)
    queue.start()
    workers = [_worker(pg_workspace, tmp_path / f"worker{n}.log") for n in range(2)]
    try:
        job_id = queue.enqueue("scan.site", {"url": slow_site, "allow_private": True, "subject": slow_site},
                               owner="tester", label="slow site")

        def running() -> bool:
            status = queue.status(job_id)
            return status is not None and status.state == "running" and status.child_pid is not None

        wait_until(running, 180, "a worker to run the job in a child process")
        with session_scope(pg_workspace.engine()) as db:
            from csmguard.store.models_jobs import JobRow

            holder = db.get(JobRow, job_id)
            assert holder is not None and holder.worker is not None
            pid = int(holder.worker.rpartition(":")[2])
        victim = next(w for w in workers if w.pid == pid)
        victim.send_signal(signal.SIGKILL)
        victim.wait()
        wait_until(lambda: bool(queue.status(job_id) and queue.status(job_id).finished),  # type: ignore[union-attr]
                   300, "the other worker to retry and finish the job")
        survivor = next(w for w in workers if w is not victim)
        assert survivor.poll() is None
    finally:
        _stop(workers)
        queue.stop()
    status = queue.status(job_id)
    assert status is not None and status.state == "done" and status.attempts == 2, status
    scan_id = str(uuid.uuid5(JOB_SCAN_NAMESPACE, job_id))
    assert status.result_id == scan_id and _count(pg_workspace, ScanRow) == 1
    findings = _count(pg_workspace, FindingRow, scan_id=scan_id)
    assert findings > 0  # the crawled pages' unwarned social links
    with session_scope(pg_workspace.engine()) as db:
        distinct = db.execute(select(func.count(func.distinct(FindingRow.fingerprint)))
                              .where(FindingRow.scan_id == scan_id)).scalar_one()
    assert distinct == findings  # no finding recorded twice


def test_two_workers_complete_100_jobs_exactly_once(pg_workspace: Workspace, tmp_path: Path) -> None:
    queue = ProcrastinateQueue(pg_workspace.engine(), pg_workspace.root, pg_workspace.db_url)
    queue.start()
    ids = []
    for number in range(100):
        job_id, folder = queue.new_folder()
        (folder / "result.json").write_bytes(orjson.dumps({"scanner": "messages", "targets": [f"t{number}"]}))
        ids.append(queue.enqueue("scan.result", {"file": "result.json", "subject": f"batch-{number}"},
                                 owner="ci", label=f"result {number}", job_id=job_id))
    workers = [_worker(pg_workspace, tmp_path / f"worker{n}.log") for n in range(2)]
    try:
        wait_until(lambda: queue.active() == 0, 1800, "100 jobs to finish")
    finally:
        _stop(workers)
        queue.stop()
    statuses = [queue.status(job_id) for job_id in ids]
    assert all(s is not None and s.state == "done" and s.attempts == 1 for s in statuses), \
        [s for s in statuses if s is None or s.state != "done" or s.attempts != 1][:3]
    assert _count(pg_workspace, ScanRow) == 100
    with session_scope(pg_workspace.engine()) as db:
        recorded = db.execute(select(func.count()).select_from(AuditRow).where(AuditRow.action == "scan.record"))
        assert recorded.scalar_one() == 100  # each job's work ran once
        from csmguard.store.models_jobs import JobRow

        by_worker = set(db.scalars(select(JobRow.worker).where(JobRow.id.in_(ids))))
        done = db.execute(text("SELECT count(*) FROM procrastinate_jobs WHERE status = 'succeeded'")).scalar_one()
    assert len(by_worker) == 2, by_worker  # both workers took part
    assert done == 100
    assert {str(uuid.uuid5(JOB_SCAN_NAMESPACE, i)) for i in ids} == {s.result_id for s in statuses if s}
    assert os.path.isdir(pg_workspace.root / "jobs") and not any((pg_workspace.root / "jobs").iterdir())


def test_the_web_app_queues_an_import_that_a_worker_runs(pg_workspace: Workspace, tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from csmguard.auth.roles import Role
    from csmguard.registers.io import RegisterFormat
    from csmguard.services import registers, web_accounts
    from csmguard.services.catalog import open_catalog
    from csmguard.web.app import create_app
    from csmguard.web.settings import WebSettings
    from tests.web.conftest import POLICY, csrf_of

    with session_scope(pg_workspace.engine()) as db:
        user = web_accounts.create_user(db, "test", "olivia", "Olivia", Role.COMPLIANCE_OFFICER,
                                        "correct horse battery staple", POLICY)
        cookie = web_accounts.open_session(db, user, web_accounts.STAGE_FULL)
    settings = WebSettings(workspace=pg_workspace.root, job_queue="procrastinate", argon2_time_cost=1,
                           argon2_memory_kib=1024)
    app = create_app(settings, pg_workspace, open_catalog("csm-17"))
    header = registers.register_template("devices", RegisterFormat.CSV, "en")
    body = header + b"D000001,olivia,IT,company,yes,iOS,17.1,yes,in_use,,\n"
    worker = _worker(pg_workspace, tmp_path / "worker.log")
    try:
        with TestClient(app, base_url="https://testserver", follow_redirects=False) as client:
            client.cookies.set("csmguard_session", cookie)
            token = csrf_of(client.get("/registers/devices").text)
            response = client.post("/registers/devices/import", data={"csrf_token": token},
                                   files={"file": ("devices.csv", body, "text/csv")})
    finally:
        _stop([worker])
    assert response.status_code == 200, response.text
    assert [r.record.model_dump()["device_id"] for r in registers.list_records(pg_workspace, "devices")] == ["D000001"]
    [job] = table.recent(pg_workspace.engine(), 1)
    assert job.state == "done" and job.kind == "register.import"
    with session_scope(pg_workspace.engine()) as db:
        from csmguard.store.models_jobs import JobRow

        row = db.get(JobRow, job.id)
        assert row is not None and row.worker is not None and int(row.worker.rpartition(":")[2]) == worker.pid
