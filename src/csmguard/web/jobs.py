"""The web app's job queue (:mod:`csmguard.jobs.queue`) chosen from its settings, and waiting for a job."""

from __future__ import annotations

import anyio

from csmguard.domain.errors import InputError
from csmguard.jobs.queue import JobQueue, LocalQueue
from csmguard.jobs.runner import Budget
from csmguard.jobs.table import JobStatus
from csmguard.web.settings import WebSettings
from csmguard.web.work import in_thread
from csmguard.workspace import Workspace

WAIT_POLL_SECONDS = 0.25


def open_queue(settings: WebSettings, workspace: Workspace) -> JobQueue:
    """The local queue (worker threads of the server, one child process per job), or procrastinate on
    PostgreSQL (``csmguard worker`` processes run the jobs)."""
    budget = Budget(memory_mb=settings.job_memory_mb, seconds=float(settings.job_timeout_seconds))
    if settings.job_queue == "procrastinate":
        if not workspace.db_url.startswith("postgresql"):
            raise InputError(str(workspace.root), "the procrastinate job queue needs a PostgreSQL workspace "
                             "/ procrastinate 工作佇列需使用 PostgreSQL 工作區")
        from csmguard.jobs.pg import ProcrastinateQueue

        return ProcrastinateQueue(workspace.engine(), workspace.root, workspace.db_url)
    return LocalQueue(workspace.engine(), workspace.root, workers=settings.max_running_jobs, budget=budget)


async def wait_for(queue: JobQueue, job_id: str) -> JobStatus:
    """The job once it has ended, polled off the event loop (the job runs in another process)."""
    while True:
        status = await in_thread(queue.status, job_id)
        if status is None:
            raise LookupError(job_id)
        if status.finished:
            return status
        await anyio.sleep(WAIT_POLL_SECONDS)
