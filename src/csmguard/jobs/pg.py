"""The PostgreSQL backend of the job queue: procrastinate (https://procrastinate.readthedocs.io) delivers each
job of the ``jobs`` table to one ``csmguard worker`` process, on any machine that reaches the database and
mounts the workspace folder.

The web app enqueues as with the local queue (a row in ``jobs``) and defers the procrastinate task
``csmguard.run_job`` with the job id, in the same step. A worker's task claims the row and runs the job in a
child process (:mod:`csmguard.jobs.runner`), with the same budget, heartbeats and cancelling. A worker that
dies (even ``kill -9``) stops sending procrastinate heartbeats; every worker looks for such stalled jobs
(``stalled_after`` seconds without a heartbeat) and hands them back to procrastinate, which runs the task
again on a live worker; the row is then requeued (one attempt more, up to ``max_attempts``) and the job
recorded under the same scan id, replacing whatever the dead attempt had written."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import procrastinate
from sqlalchemy import Engine, inspect, text

from csmguard.jobs import table
from csmguard.jobs.queue import TableQueue
from csmguard.jobs.runner import Budget, run_claimed

log = logging.getLogger(__name__)
TASK = "csmguard.run_job"
QUEUE = "csmguard"
SCHEMA_LOCK = 7_317_001  # advisory lock key: one process applies procrastinate's schema at a time


def libpq_url(db_url: str) -> str:
    """The SQLAlchemy URL of a PostgreSQL workspace as psycopg's connection string."""
    for prefix in ("postgresql+psycopg://", "postgresql+psycopg2://"):
        if db_url.startswith(prefix):
            return "postgresql://" + db_url.removeprefix(prefix)
    return db_url


@dataclass
class WorkerContext:
    """What the task needs in a worker process: the workspace, its engine and the job budget."""

    root: Path
    engine: Engine
    budget: Budget


_context: WorkerContext | None = None


def run_job(job_id: str) -> str:
    """The procrastinate task body: claim the job's row and run it in a child process. A row still marked
    running was left by a worker procrastinate found stalled: it is requeued first (or failed after its last
    attempt). Returns the final state."""
    if _context is None:
        raise RuntimeError("csmguard worker context is not set")
    engine = _context.engine
    status = table.get(engine, job_id)
    if status is None or status.finished:
        return status.state if status is not None else "missing"
    if status.state == "running":
        table.requeue_or_fail(engine, job_id, "its worker stopped before the job ended; retried "
                                              "/ 執行工作的程序中止，重新執行")
    if not table.claim(engine, job_id, table.worker_name()):
        current = table.get(engine, job_id)
        return current.state if current is not None else "missing"
    try:
        return run_claimed(engine, _context.root, job_id, _context.budget)
    except Exception:  # e.g. the database went away: back to the queue, and procrastinate retries the task
        table.requeue_or_fail(engine, job_id, "the worker lost track of the job; retried / 工作執行中斷，重新執行")
        raise


def make_app(db_url: str) -> procrastinate.App:
    """The procrastinate app of a workspace database, with the ``csmguard.run_job`` task."""
    app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=libpq_url(db_url)))
    app.task(name=TASK, queue=QUEUE, retry=procrastinate.RetryStrategy(max_attempts=3, wait=5))(run_job)
    return app


def ensure_schema(engine: Engine, app: procrastinate.App) -> None:
    """Apply procrastinate's schema to the workspace database once (under an advisory lock, so workers
    starting together do not race)."""
    with engine.connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": SCHEMA_LOCK})
        try:
            if not inspect(connection).has_table("procrastinate_jobs"):
                driver = connection.connection.driver_connection  # psycopg itself: the SQL holds literal '%'
                assert driver is not None
                driver.execute(app.schema_manager.get_schema())
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": SCHEMA_LOCK})
            connection.commit()


class ProcrastinateQueue(TableQueue):
    """The job queue of a web app on PostgreSQL: rows in ``jobs``, delivered to ``csmguard worker``."""

    def __init__(self, engine: Engine, workspace_root: Path, db_url: str, max_attempts: int = 3) -> None:
        super().__init__(engine, workspace_root, max_attempts)
        self.app = make_app(db_url)
        self._opened = False

    def start(self) -> None:
        """Open procrastinate's connection (and create its schema if the database has none yet)."""
        if not self._opened:
            ensure_schema(self.engine, self.app)
            self.app.open()
            self._opened = True

    def enqueue(self, kind: str, payload: dict[str, Any], *, owner: str, label: str,
                job_id: str | None = None) -> str:
        """Insert the job's row, then defer the task that runs it (a worker picks it up)."""
        self.start()
        ident = self._insert(kind, payload, owner, label, job_id)
        try:
            self.app.configure_task(TASK, queue=QUEUE).defer(job_id=ident)
        except Exception:
            table.cancel(self.engine, ident)  # never a queued row no worker will ever see
            raise
        return ident

    def stop(self) -> None:
        """Close procrastinate's connection (running jobs belong to the workers)."""
        if self._opened:
            self.app.close()
            self._opened = False


async def _watch_stalled(app: procrastinate.App, stalled_after: float, every: float) -> None:
    """Hand jobs of dead workers back to procrastinate (it retries them on a live worker)."""
    while True:
        try:
            for job in await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=stalled_after):
                log.warning("retrying job %s of a stalled worker", job.id)
                await app.job_manager.retry_job(job)
        except Exception:
            log.exception("looking for stalled jobs")
        await asyncio.sleep(every)


async def run_worker(root: Path, engine: Engine, db_url: str, *, concurrency: int, budget: Budget,
                     stalled_after: float = 30.0, heartbeat_seconds: float = 10.0) -> None:
    """``csmguard worker``: run queued jobs until stopped (SIGINT/SIGTERM finish the running ones first)."""
    global _context
    _context = WorkerContext(root, engine, budget)
    app = make_app(db_url)
    await asyncio.to_thread(ensure_schema, engine, app)
    async with app.open_async():
        watcher = asyncio.create_task(_watch_stalled(app, stalled_after, max(1.0, stalled_after / 3)))
        try:
            await app.run_worker_async(queues=[QUEUE], concurrency=concurrency, wait=True,
                                       update_heartbeat_interval=heartbeat_seconds,
                                       stalled_worker_timeout=stalled_after, install_signal_handlers=True)
        finally:
            watcher.cancel()
