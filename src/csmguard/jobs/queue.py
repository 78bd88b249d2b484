"""The job queue: one small interface, two backends.

``enqueue(kind, payload, owner=, label=)`` → job id; ``status(id)``; ``cancel(id)``; ``recent(limit, owner)``;
``active(owner)``. Kinds are those of :mod:`csmguard.jobs.kinds` (``scan.upload``, ``scan.endpoint``,
``scan.site``, ``register.import``, ``scan.result``). A caller whose job needs files first takes a job id
and folder with :meth:`JobQueue.new_folder`, puts the files there, then enqueues with that ``job_id``.

- :class:`LocalQueue` (the default, and the only one on SQLite): the ``jobs`` table and worker threads in
  the server process; each job runs in a child process (:mod:`csmguard.jobs.runner`). Jobs survive a
  restart: queued ones resume, a running one whose worker died is retried (up to ``max_attempts``).
- :class:`csmguard.jobs.pg.ProcrastinateQueue` (PostgreSQL): the same table, delivered by procrastinate to
  ``csmguard worker`` processes on any number of machines.

Every job records its scan under an id derived from the job id, so a retried job replaces, never
duplicates, what an earlier attempt recorded.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import Engine

from csmguard.jobs import table
from csmguard.jobs.runner import Budget, job_folder, run_claimed
from csmguard.jobs.table import JobStatus

log = logging.getLogger(__name__)
STALE_SECONDS = 60.0  # a running job whose worker has not beaten for this long is taken as orphaned
RECOVER_EVERY = 30.0


class JobQueue(Protocol):
    """What the web app, the API and scheduled runs use to have work done in the background."""

    def new_folder(self) -> tuple[str, Path]:
        """A fresh job id and its (created) folder for the job's files."""

    def enqueue(self, kind: str, payload: dict[str, Any], *, owner: str, label: str,
                job_id: str | None = None) -> str:
        """Queue a job; returns its id."""

    def status(self, job_id: str) -> JobStatus | None:
        """The job's state, progress and outcome."""

    def cancel(self, job_id: str) -> str | None:
        """Cancel a queued job, or ask a running one to stop; its state after, None if unknown."""

    def recent(self, limit: int = 20, owner: str | None = None) -> list[JobStatus]:
        """The newest jobs."""

    def active(self, owner: str | None = None) -> int:
        """How many jobs (of ``owner``) are queued or running."""

    def start(self) -> None:
        """Begin working (threads of this process, for the local queue)."""

    def stop(self) -> None:
        """Stop working: running jobs are finished first."""


class TableQueue:
    """The part both backends share: the ``jobs`` table."""

    def __init__(self, engine: Engine, workspace_root: Path, max_attempts: int = 3) -> None:
        self.engine = engine
        self.root = workspace_root
        self.max_attempts = max_attempts

    def new_folder(self) -> tuple[str, Path]:
        """A fresh job id and its (created) folder for the job's files."""
        job_id = uuid.uuid4().hex
        folder = job_folder(self.root, job_id)
        folder.mkdir(parents=True, mode=0o700)
        return job_id, folder

    def _insert(self, kind: str, payload: dict[str, Any], owner: str, label: str, job_id: str | None) -> str:
        from csmguard.jobs.kinds import KINDS

        if kind not in KINDS:
            raise ValueError(f"unknown job kind {kind!r}")
        return table.insert(self.engine, kind, owner, label, payload, job_id=job_id, max_attempts=self.max_attempts)

    def status(self, job_id: str) -> JobStatus | None:
        """The job's state, progress and outcome."""
        return table.get(self.engine, job_id)

    def cancel(self, job_id: str) -> str | None:
        """Cancel a queued job, or ask a running one to stop."""
        return table.cancel(self.engine, job_id)

    def recent(self, limit: int = 20, owner: str | None = None) -> list[JobStatus]:
        """The newest jobs."""
        return table.recent(self.engine, limit, owner)

    def active(self, owner: str | None = None) -> int:
        """How many jobs (of ``owner``) are queued or running."""
        return table.active_count(self.engine, owner)


def _alive_here(worker: str | None) -> bool:
    """Whether ``host:pid`` names a living process of this machine (False for other machines)."""
    if not worker or ":" not in worker:
        return False
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover_orphans(engine: Engine, stale_seconds: float = STALE_SECONDS) -> list[str]:
    """Running jobs whose worker is gone (a dead process of this machine, or no heartbeat for
    ``stale_seconds``) go back to the queue, or fail after their last attempt. Returns their ids."""
    recovered = []
    for job_id, worker, beat in table.running(engine):
        here = worker is not None and worker.rpartition(":")[0] == socket.gethostname()
        if (here and not _alive_here(worker)) or table.stale(beat, stale_seconds):
            table.requeue_or_fail(engine, job_id, f"its worker {worker} stopped before the job ended; retried "
                                                  "/ 執行工作的程序中止，重新執行")
            recovered.append(job_id)
    return recovered


class LocalQueue(TableQueue):
    """Worker threads of this process take queued jobs from the table and run each in a child process."""

    def __init__(self, engine: Engine, workspace_root: Path, *, workers: int = 2, budget: Budget | None = None,
                 poll_seconds: float = 1.0, max_attempts: int = 3) -> None:
        super().__init__(engine, workspace_root, max_attempts)
        self.workers = workers
        self.budget = budget or Budget()
        self.poll_seconds = poll_seconds
        self.name = table.worker_name()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._recovered_at = 0.0
        self._lock = threading.Lock()

    def enqueue(self, kind: str, payload: dict[str, Any], *, owner: str, label: str,
                job_id: str | None = None) -> str:
        """Queue a job and wake a worker thread."""
        ident = self._insert(kind, payload, owner, label, job_id)
        self.start()
        self._wake.set()
        return ident

    def start(self) -> None:
        """Recover what a previous run left, then start the worker threads (once; enqueueing starts them too,
        for an app used without its lifespan)."""
        with self._lock:
            if self._threads:
                return
            recover_orphans(self.engine)
            self._recovered_at = time.monotonic()
            self._stopping.clear()
            for number in range(self.workers):
                thread = threading.Thread(target=self._loop, name=f"csmguard-job-{number}", daemon=True)
                thread.start()
                self._threads.append(thread)

    def _maybe_recover(self) -> None:
        with self._lock:
            if time.monotonic() - self._recovered_at < RECOVER_EVERY:
                return
            self._recovered_at = time.monotonic()
        recover_orphans(self.engine)

    def _loop(self) -> None:
        while not self._stopping.is_set():
            try:
                self._maybe_recover()
                job_id = table.next_queued(self.engine)
                if job_id is None:
                    self._wake.wait(self.poll_seconds)
                    self._wake.clear()
                    continue
                if table.claim(self.engine, job_id, self.name):
                    run_claimed(self.engine, self.root, job_id, self.budget)
            except Exception:  # a database hiccup must not end the worker thread
                log.exception("job worker")
                self._stopping.wait(self.poll_seconds)

    def stop(self) -> None:
        """Stop the worker threads after their current jobs."""
        self._stopping.set()
        self._wake.set()
        with self._lock:
            threads, self._threads = self._threads, []
        for thread in threads:
            thread.join()
