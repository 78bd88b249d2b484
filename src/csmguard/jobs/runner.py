"""Running one claimed job in a child process (:mod:`csmguard.jobs.child`) and watching it: heartbeats,
cancelling, the time budget, and a child that died without saying how it ended."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from csmguard.jobs import table

HEARTBEAT_SECONDS = 2.0


@dataclass(frozen=True)
class Budget:
    """What one job may use: address space of its process in MB (0: unlimited) and wall-clock seconds."""

    memory_mb: int = 2048
    seconds: float = 3600.0


def job_folder(workspace_root: Path, job_id: str) -> Path:
    """Where a job's files lie: ``<workspace>/jobs/<job id>`` (shared with workers on other machines that
    mount the workspace)."""
    return workspace_root / "jobs" / job_id


def _stop(child: subprocess.Popen[bytes]) -> None:
    child.terminate()
    try:
        child.wait(timeout=5)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()


def run_claimed(engine: Engine, workspace_root: Path, job_id: str, budget: Budget) -> str:
    """Run a job this worker has claimed (state ``running``) in a child process; returns its final state.
    The job's folder is removed once the job has ended (kept while it may still be retried)."""
    command = [sys.executable, "-m", "csmguard.jobs.child", str(workspace_root), job_id, str(os.getpid()),
               str(budget.memory_mb)]
    child = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=None,
                             close_fds=True)
    started = time.monotonic()
    table.started_child(engine, job_id, child.pid)
    while True:
        try:
            child.wait(timeout=HEARTBEAT_SECONDS)
            break
        except subprocess.TimeoutExpired:
            pass
        if table.heartbeat(engine, job_id):
            _stop(child)
            table.finish(engine, job_id, "cancelled", message="cancelled / 已取消")
            break
        if time.monotonic() - started > budget.seconds:
            _stop(child)
            table.finish(engine, job_id, "failed", message=f"the job exceeded its time budget of "
                         f"{budget.seconds:.0f} s / 工作超過時間上限 {budget.seconds:.0f} 秒")
            break
    code = child.returncode
    how = f"signal {-code}" if code is not None and code < 0 else f"exit status {code}"
    # a child that died without writing the outcome (killed by the system, a crash in native code)
    table.finish(engine, job_id, "failed", message=f"the job's process ended unexpectedly ({how}) / 工作程序異常結束")
    status = table.get(engine, job_id)
    state = status.state if status is not None else "missing"
    if state in table.FINAL:
        shutil.rmtree(job_folder(workspace_root, job_id), ignore_errors=True)
    return state
