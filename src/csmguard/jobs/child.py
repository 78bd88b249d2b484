"""``python -m csmguard.jobs.child WORKSPACE JOB_ID PARENT_PID MEMORY_MB``: run one job in this process.

The worker (a thread of the web server, or ``csmguard worker``) starts this process for each job, so
whatever the job builds in memory dies with it and the worker's own memory stays at its baseline. The child
limits its address space to ``MEMORY_MB`` (``0``: no limit), dies with its parent (Linux
``PR_SET_PDEATHSIG``), writes progress into the job's row (at most twice a second) and, at the end, the
outcome: done, failed (a refused input, the memory budget exceeded, an unexpected error: always a message,
never a traceback) or cancelled. Exit status 0 when the outcome was written."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import resource
import signal
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from csmguard.jobs import table
from csmguard.jobs.kinds import JobContext

PROGRESS_EVERY = 0.5  # seconds between progress writes
PR_SET_PDEATHSIG = 1


class Cancelled(Exception):
    """Someone asked the job to stop."""


class TableProgress:
    """The scanners' Progress protocol, written into the job's row (throttled); raises :class:`Cancelled`
    when cancelling was asked for."""

    def __init__(self, engine: Engine, job_id: str) -> None:
        self.engine, self.job_id = engine, job_id
        self.done = self.total = 0
        self.label: str | None = None
        self._written = 0.0

    def _write(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._written < PROGRESS_EVERY:
            return
        self._written = now
        label, self.label = self.label, None
        if table.progress(self.engine, self.job_id, self.done, max(self.total, self.done), label):
            raise Cancelled

    def start(self, label: str, total: int | None = None) -> None:
        """A phase begins."""
        self.done, self.total, self.label = 0, total or 0, label
        self._write(force=True)

    def advance(self, amount: int = 1) -> None:
        """Some work is done."""
        self.done += amount
        self._write()

    def finish(self) -> None:
        """The phase is over."""
        self.done = self.total = max(self.total, self.done)
        self._write(force=True)


def _die_with_parent(parent: int) -> None:
    name = ctypes.util.find_library("c")
    if name:
        ctypes.CDLL(name, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(3)


def _limit_memory(megabytes: int) -> None:
    if megabytes > 0:
        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


@dataclass
class Ending:
    """How the job ended, to be written once its memory is released."""

    state: str
    message: str = ""
    warning: str = ""
    result_id: str | None = None
    summary: dict[str, Any] | None = None


def _out_of_memory(memory_mb: int) -> Ending:
    return Ending("failed", f"the job exceeded its memory budget of {memory_mb} MB / 工作超過記憶體上限 {memory_mb} MB")


def _caused_by_memory(error: BaseException) -> bool:
    seen: BaseException | None = error
    for _ in range(10):
        if seen is None:
            return False
        if isinstance(seen, MemoryError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _run_kind(context: JobContext, kind: str, payload: dict[str, Any], memory_mb: int) -> Ending:
    from csmguard.domain.errors import InputError
    from csmguard.jobs.kinds import KINDS, JobFailed

    try:
        work = KINDS.get(kind)
        if work is None:
            raise JobFailed(f"unknown job kind {kind!r}")
        outcome = work(context, payload)
    except Cancelled:
        return Ending("cancelled", "cancelled / 已取消")
    except MemoryError:
        return _out_of_memory(memory_mb)
    except JobFailed as failed:
        return Ending("failed", str(failed), summary=failed.summary)
    except InputError as error:
        if _caused_by_memory(error):  # a reader that wraps every failure as unreadable input
            return _out_of_memory(memory_mb)
        return Ending("failed", error.describe())
    except Exception as error:
        if os.environ.get("CSMGUARD_DEBUG"):
            traceback.print_exc()
        return Ending("failed", f"unexpected error ({type(error).__name__}: {error}); please report this bug")
    return Ending("done", warning=outcome.warning, result_id=outcome.result_id, summary=outcome.summary)


def run(workspace_root: Path, job_id: str, memory_mb: int) -> int:
    """Run the job; 0 when its outcome was written, 2 when the job cannot be found."""
    from csmguard.workspace import open_workspace

    workspace = open_workspace(workspace_root)
    engine = workspace.engine()
    found = table.payload_of(engine, job_id)
    if found is None:
        return 2
    kind, payload = found
    status = table.get(engine, job_id)
    owner = status.owner if status else "?"
    context = JobContext(workspace, job_id, owner, workspace.root / "jobs" / job_id, TableProgress(engine, job_id))
    table.started_child(engine, job_id, os.getpid())
    _limit_memory(memory_mb)
    ending = _run_kind(context, kind, payload, memory_mb)  # the job's objects are gone once it returns
    try:
        table.finish(engine, job_id, ending.state, message=ending.message, warning=ending.warning,
                     result_id=ending.result_id, outcome=ending.summary)
    finally:
        workspace.close()
    return 0


def main(argv: list[str]) -> int:
    """Entry point: ``WORKSPACE JOB_ID PARENT_PID MEMORY_MB``."""
    root, job_id, parent, memory = argv
    _die_with_parent(int(parent))
    return run(Path(root), job_id, int(memory))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
