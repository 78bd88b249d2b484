"""Schedules of a workspace: cron-like runs (croniter expressions read in Asia/Taipei) of endpoint, site,
privacy-policy and register checks, and of the notification run. A due schedule is enqueued on the job queue
(:mod:`csmguard.jobs.queue`) as a job of its kind; whoever works that queue (the web app's workers, or
``schedule run-due --work``) runs it. Missed runs are not replayed: a schedule that was due several times while
nothing ran is enqueued once and moves to its next time after now."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from croniter import croniter
from sqlalchemy import select, update

from csmguard.dates import TAIPEI
from csmguard.domain.errors import InputError
from csmguard.services import audit
from csmguard.services.records import as_utc
from csmguard.store.db import session_scope
from csmguard.store.models_notify import ScheduleRow
from csmguard.workspace import Workspace

NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")

# schedule kind → job kind (csmguard.jobs.kinds.KINDS)
JOB_KINDS: dict[str, str] = {
    "endpoint": "scan.endpoint",
    "site": "scan.site",
    "privacy": "watch.privacy",
    "register": "register.check",
    "notify": "notify.run",
}

Enqueue = Callable[[str, dict[str, Any], str, str], str]  # (job kind, payload, owner, label) → job id


@dataclass(frozen=True)
class Schedule:
    """A schedule as the CLI shows it."""

    name: str
    kind: str
    cron: str
    payload: dict[str, Any]
    enabled: bool
    created_by: str
    next_run_at: datetime
    last_run_at: datetime | None
    last_job_id: str | None

    def as_dict(self) -> dict[str, Any]:
        """The schedule as JSON (times in Asia/Taipei)."""
        def local(moment: datetime | None) -> str | None:
            return moment.astimezone(TAIPEI).isoformat() if moment else None
        return {"name": self.name, "kind": self.kind, "cron": self.cron, "payload": self.payload,
                "enabled": self.enabled, "created_by": self.created_by, "next_run_at": local(self.next_run_at),
                "last_run_at": local(self.last_run_at), "last_job_id": self.last_job_id}


def _view(row: ScheduleRow) -> Schedule:
    """The row with its times in UTC (SQLite gives them back without a zone)."""
    return Schedule(row.name, row.kind, row.cron, dict(row.payload), row.enabled, row.created_by,
                    as_utc(row.next_run_at), as_utc(row.last_run_at) if row.last_run_at else None, row.last_job_id)


def next_run(cron: str, after: datetime) -> datetime:
    """The first time ``cron`` (read in Asia/Taipei) fires strictly after ``after``, in UTC."""
    moment = croniter(cron, after.astimezone(TAIPEI)).get_next(datetime)
    assert isinstance(moment, datetime)
    return moment.astimezone(UTC)


def _payload(kind: str, targets: list[str], url: str | None, allow_private: bool, base_url: str) -> dict[str, Any]:
    if kind == "endpoint":
        if not targets:
            raise InputError(None, "an endpoint schedule needs --target (one or more)", field="--target")
        return {"targets": targets, "allow_private": allow_private, "subject": ",".join(sorted(targets))}
    if kind == "site":
        if not url:
            raise InputError(None, "a site schedule needs --url", field="--url")
        return {"url": url, "allow_private": allow_private, "subject": url}
    if targets or url:
        raise InputError(None, f"a {kind} schedule takes no --target or --url", field="--target")
    if kind == "privacy":
        return {"allow_private": allow_private}
    if kind == "notify":
        return {"base_url": base_url}
    return {}


def add_schedule(ws: Workspace, name: str, kind: str, cron: str, *, targets: list[str] | None = None,
                 url: str | None = None, allow_private: bool = False, base_url: str = "",
                 actor: str | None = None, now: datetime | None = None) -> Schedule:
    """A new schedule; InputError for a bad name, kind or cron expression, or a name already used. Audited."""
    if not NAME_RE.match(name):
        raise InputError(None, f"schedule name {name!r}: letters, digits, _ . - (up to 100)", field="name")
    if kind not in JOB_KINDS:
        raise InputError(None, f"schedule kind {kind!r}; known: {', '.join(JOB_KINDS)}", field="kind")
    if not croniter.is_valid(cron):
        raise InputError(None, f"{cron!r} is not a cron expression (minute hour day month weekday, e.g. "
                               "'0 2 * * *') / 非有效之 cron 表示式", field="cron")
    payload = _payload(kind, list(targets or []), url, allow_private, base_url)
    now = now or datetime.now(UTC)
    actor = actor or audit.os_actor()
    with audit.write_scope(ws.engine()) as session:
        if session.get(ScheduleRow, name) is not None:
            raise InputError(None, f"a schedule {name!r} exists; remove it first", field="name")
        row = ScheduleRow(name=name, kind=kind, cron=cron, payload=payload, enabled=True, created_by=actor,
                          created_at=now, next_run_at=next_run(cron, now))
        session.add(row)
        session.flush()
        view = _view(row)
        audit.append(session, actor, "schedule.add", "schedule", name, None, view.as_dict())
    return view


def list_schedules(ws: Workspace) -> list[Schedule]:
    """Every schedule, by name."""
    with session_scope(ws.engine()) as session:
        return [_view(row) for row in session.scalars(select(ScheduleRow).order_by(ScheduleRow.name))]


def remove_schedule(ws: Workspace, name: str, *, actor: str | None = None) -> None:
    """Delete a schedule (its queued or finished jobs stay); InputError if there is none. Audited."""
    actor = actor or audit.os_actor()
    with audit.write_scope(ws.engine()) as session:
        row = session.get(ScheduleRow, name)
        if row is None:
            raise InputError(None, f"no schedule {name!r}", field="name")
        before = _view(row).as_dict()
        session.delete(row)
        audit.append(session, actor, "schedule.remove", "schedule", name, before, None)


def run_due(ws: Workspace, enqueue: Enqueue, *, now: datetime | None = None) -> list[tuple[str, str]]:
    """Enqueue every enabled schedule whose time has come, as a job of its kind owned by ``schedule:<name>``, and
    move it to its next time after ``now``. Returns (schedule name, job id) pairs. A schedule is claimed by a
    conditional update first, so two processes running this at once enqueue it once."""
    now = now or datetime.now(UTC)
    started: list[tuple[str, str]] = []
    with session_scope(ws.engine()) as session:
        due = [_view(row) for row in session.scalars(select(ScheduleRow).where(
            ScheduleRow.enabled.is_(True), ScheduleRow.next_run_at <= now).order_by(ScheduleRow.next_run_at))]
    for schedule in due:
        if not _claim(ws, schedule, now):
            continue
        label = f"schedule {schedule.name} ({schedule.kind})"
        job_id = enqueue(JOB_KINDS[schedule.kind], schedule.payload, f"schedule:{schedule.name}", label)
        with session_scope(ws.engine()) as session:  # one UPDATE: no read first that would have to upgrade
            session.execute(update(ScheduleRow).where(ScheduleRow.name == schedule.name)
                            .values(last_job_id=job_id))
        started.append((schedule.name, job_id))
    return started


def _claim(ws: Workspace, schedule: Schedule, now: datetime) -> bool:
    with session_scope(ws.engine()) as session:
        result = session.execute(update(ScheduleRow).where(
            ScheduleRow.name == schedule.name, ScheduleRow.next_run_at == schedule.next_run_at)
            .values(next_run_at=next_run(schedule.cron, now), last_run_at=now))
        return bool(getattr(result, "rowcount", 0))
