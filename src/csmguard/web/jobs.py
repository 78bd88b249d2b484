"""Background work (scans of uploaded artifacts) run in threads, with progress the pages poll."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime

from csmguard.web.work import release_memory

MESSAGE_LIMIT = 500  # characters of a failure message kept (an error may quote a whole input)
KEPT_JOBS = 200  # finished jobs remembered for the scans page


@dataclass
class Job:
    """One piece of background work and how far it has got."""

    id: str
    kind: str
    owner: str
    label: str
    state: str = "queued"  # queued | running | done | failed
    done: int = 0
    total: int = 0
    message: str = ""
    result_id: str | None = None
    counts: tuple[int, int] | None = None  # findings, errors of a finished scan
    warning: str = ""  # e.g. a scan that recognised nothing of its kind: recorded as failed, counts for nothing
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def advance(self, done: int, total: int, message: str = "") -> None:
        """Report progress (called from the worker thread)."""
        self.done, self.total = done, total
        if message:
            self.message = message


class Jobs:
    """A small thread pool with the jobs it ran, newest first."""

    def __init__(self, workers: int = 2) -> None:
        self._pool: ThreadPoolExecutor | None = None
        self._workers = workers
        self._lock = threading.Lock()
        self._jobs: dict[str, Job] = {}

    def submit(self, kind: str, owner: str, label: str, work: Callable[[Job], str | None],
               finished: Callable[[], None] | None = None) -> Job:
        """Queue ``work``; it gets the job to report progress and returns the ID of what it saved.
        ``finished`` runs when it ends, however it ends (to give back a work slot). Nothing of a failed job
        is kept but its message (cut to ``MESSAGE_LIMIT``), so its inputs can be freed."""
        job = Job(id=uuid.uuid4().hex, kind=kind, owner=owner, label=label)
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=self._workers, thread_name_prefix="csmguard-job")
            self._jobs[job.id] = job
            self._forget_old()
            pool = self._pool

        def run() -> None:
            job.state = "running"
            try:
                job.result_id = work(job)
                job.state = "done"
            except Exception as exc:
                job.message = (str(exc) or type(exc).__name__)[:MESSAGE_LIMIT]
                job.state = "failed"
            finally:
                if finished is not None:
                    finished()
                release_memory()

        pool.submit(run)
        return job

    def _forget_old(self) -> None:
        finished = [job for job in self._jobs.values() if job.state in ("done", "failed")]
        finished.sort(key=lambda j: j.started_at)
        for job in finished[:max(0, len(finished) - KEPT_JOBS)]:
            del self._jobs[job.id]

    def get(self, job_id: str) -> Job | None:
        """The job with ``job_id``."""
        with self._lock:
            return self._jobs.get(job_id)

    def recent(self, limit: int = 20) -> list[Job]:
        """The newest jobs."""
        with self._lock:
            return sorted(self._jobs.values(), key=lambda j: j.started_at, reverse=True)[:limit]

    def shutdown(self) -> None:
        """Wait for running jobs and stop the threads."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True)
