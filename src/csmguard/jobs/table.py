"""Reading and writing the ``jobs`` table: the one place that knows its columns. Every function takes an
engine and runs its own short transaction, so the web workers, the queue's workers and the child
processes can share it on SQLite (WAL, busy timeout) as on PostgreSQL."""

from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, func, select, update

from csmguard.services.records import as_utc
from csmguard.store.db import session_scope
from csmguard.store.models_jobs import JobRow

MESSAGE_LIMIT = 500  # characters of a failure message kept (an error may quote a whole input)
ACTIVE = ("queued", "running")
FINAL = ("done", "failed", "cancelled")


@dataclass(frozen=True)
class JobStatus:
    """A job as the pages and the API see it."""

    id: str
    kind: str
    owner: str
    label: str
    state: str
    done: int
    total: int
    message: str
    warning: str
    result_id: str | None
    outcome: dict[str, Any] | None
    attempts: int
    child_pid: int | None
    created_at: datetime
    finished_at: datetime | None

    @property
    def counts(self) -> tuple[int, int] | None:
        """Findings and errors of a finished scan, when the job recorded one."""
        outcome = self.outcome or {}
        if "findings" in outcome and "errors" in outcome:
            return int(outcome["findings"]), int(outcome["errors"])
        return None

    @property
    def finished(self) -> bool:
        """Whether the job has ended (done, failed or cancelled)."""
        return self.state in FINAL


def worker_name() -> str:
    """``host:pid`` of this process: who claimed a job (recovery checks whether it still lives)."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _status(row: JobRow) -> JobStatus:
    return JobStatus(id=row.id, kind=row.kind, owner=row.owner, label=row.label, state=row.state, done=row.done,
                     total=row.total, message=row.message, warning=row.warning, result_id=row.result_id,
                     outcome=row.outcome, attempts=row.attempts, child_pid=row.child_pid,
                     created_at=as_utc(row.created_at),
                     finished_at=as_utc(row.finished_at) if row.finished_at else None)


def insert(engine: Engine, kind: str, owner: str, label: str, payload: dict[str, Any], *,
           job_id: str | None = None, max_attempts: int = 3) -> str:
    """A new queued job; its id."""
    ident = job_id or uuid.uuid4().hex
    with session_scope(engine) as db:
        db.add(JobRow(id=ident, kind=kind, owner=owner, label=label[:500], payload=payload, state="queued",
                      attempts=0, max_attempts=max_attempts, done=0, total=0, message="", warning="",
                      cancel_requested=False, created_at=datetime.now(UTC)))
    return ident


def get(engine: Engine, job_id: str) -> JobStatus | None:
    """The job with ``job_id``."""
    with session_scope(engine) as db:
        row = db.get(JobRow, job_id)
        return _status(row) if row is not None else None


def payload_of(engine: Engine, job_id: str) -> tuple[str, dict[str, Any]] | None:
    """The kind and payload of a job (what its child runs)."""
    with session_scope(engine) as db:
        row = db.get(JobRow, job_id)
        return (row.kind, dict(row.payload)) if row is not None else None


def recent(engine: Engine, limit: int = 20, owner: str | None = None) -> list[JobStatus]:
    """The newest jobs (of ``owner`` when given)."""
    query = select(JobRow).order_by(JobRow.created_at.desc(), JobRow.id).limit(limit)
    if owner is not None:
        query = query.where(JobRow.owner == owner)
    with session_scope(engine) as db:
        return [_status(row) for row in db.scalars(query)]


def active_count(engine: Engine, owner: str | None = None) -> int:
    """Queued and running jobs (of ``owner`` when given)."""
    query = select(func.count()).select_from(JobRow).where(JobRow.state.in_(ACTIVE))
    if owner is not None:
        query = query.where(JobRow.owner == owner)
    with session_scope(engine) as db:
        return int(db.execute(query).scalar_one())


def next_queued(engine: Engine) -> str | None:
    """The oldest queued job's id (a candidate: :func:`claim` decides)."""
    with session_scope(engine) as db:
        return db.scalars(select(JobRow.id).where(JobRow.state == "queued")
                          .order_by(JobRow.created_at, JobRow.id).limit(1)).first()


def claim(engine: Engine, job_id: str, worker: str) -> bool:
    """Mark a queued job running for ``worker`` (one attempt more); False when another worker took it first
    or it was cancelled. A conditional UPDATE, so exactly one claimant wins on either database."""
    now = datetime.now(UTC)
    with session_scope(engine) as db:
        taken = db.execute(update(JobRow).where(JobRow.id == job_id, JobRow.state == "queued",
                                                JobRow.cancel_requested.is_(False))
                           .values(state="running", worker=worker, attempts=JobRow.attempts + 1, started_at=now,
                                   heartbeat_at=now, child_pid=None, message="", done=0, total=0))
        return bool(taken.rowcount)  # type: ignore[attr-defined]


def heartbeat(engine: Engine, job_id: str) -> bool:
    """The worker still runs ``job_id``; returns whether cancelling was asked for meanwhile."""
    with session_scope(engine) as db:
        db.execute(update(JobRow).where(JobRow.id == job_id).values(heartbeat_at=datetime.now(UTC)))
        return bool(db.scalars(select(JobRow.cancel_requested).where(JobRow.id == job_id)).first())


def started_child(engine: Engine, job_id: str, pid: int) -> None:
    """Note the process that runs the job."""
    with session_scope(engine) as db:
        db.execute(update(JobRow).where(JobRow.id == job_id).values(child_pid=pid))


def progress(engine: Engine, job_id: str, done: int, total: int, message: str | None) -> bool:
    """Progress of a running job (written by its child); returns whether cancelling was asked for."""
    values: dict[str, Any] = {"done": done, "total": total, "heartbeat_at": datetime.now(UTC)}
    if message:
        values["message"] = message[:MESSAGE_LIMIT]
    with session_scope(engine) as db:
        db.execute(update(JobRow).where(JobRow.id == job_id, JobRow.state == "running").values(**values))
        return bool(db.scalars(select(JobRow.cancel_requested).where(JobRow.id == job_id)).first())


def finish(engine: Engine, job_id: str, state: str, *, message: str = "", warning: str = "",
           result_id: str | None = None, outcome: dict[str, Any] | None = None) -> None:
    """Record how a running job ended: done, failed or cancelled (only while it is still running, so a job
    requeued meanwhile is not overwritten)."""
    if state not in FINAL:
        raise ValueError(f"not a final state: {state}")
    with session_scope(engine) as db:
        db.execute(update(JobRow).where(JobRow.id == job_id, JobRow.state == "running")
                   .values(state=state, message=message[:MESSAGE_LIMIT], warning=warning[:MESSAGE_LIMIT],
                           result_id=result_id, outcome=outcome, finished_at=datetime.now(UTC)))


def requeue_or_fail(engine: Engine, job_id: str, reason: str) -> str:
    """A running job whose worker died: back to the queue while attempts remain, else failed with
    ``reason``. Returns the new state."""
    with session_scope(engine) as db:
        row = db.get(JobRow, job_id)
        if row is None or row.state != "running":
            return row.state if row is not None else "missing"
        if row.cancel_requested:
            row.state, row.message, row.finished_at = "cancelled", reason[:MESSAGE_LIMIT], datetime.now(UTC)
        elif row.attempts < row.max_attempts:
            row.state, row.worker, row.child_pid = "queued", None, None
            row.message = reason[:MESSAGE_LIMIT]
        else:
            row.state, row.finished_at = "failed", datetime.now(UTC)
            row.message = f"{reason} (after {row.attempts} attempts)"[:MESSAGE_LIMIT]
        return row.state


def running(engine: Engine) -> list[tuple[str, str | None, datetime | None]]:
    """(id, worker, last heartbeat) of every running job."""
    with session_scope(engine) as db:
        return [(ident, worker, as_utc(beat) if beat else None) for ident, worker, beat in
                db.execute(select(JobRow.id, JobRow.worker, JobRow.heartbeat_at).where(JobRow.state == "running"))]


def cancel(engine: Engine, job_id: str) -> str | None:
    """Ask a job to stop: a queued one is cancelled at once, a running one when its worker next looks (it
    stops the child). Returns the job's state after the request, None if there is no such job."""
    with session_scope(engine) as db:
        row = db.get(JobRow, job_id)
        if row is None:
            return None
        if row.state == "queued":
            row.state, row.finished_at, row.cancel_requested = "cancelled", datetime.now(UTC), True
        elif row.state == "running":
            row.cancel_requested = True
        return row.state


def stale(beat: datetime | None, seconds: float) -> bool:
    """Whether a heartbeat is older than ``seconds`` (or missing)."""
    return beat is None or datetime.now(UTC) - beat > timedelta(seconds=seconds)
