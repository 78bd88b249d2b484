"""Remediation tasks: a non-compliant requirement or a failing finding becomes a task with an owner (a
user account) and a due date, which moves open → in progress → awaiting verification → closed.

A task closes only

- with evidence (a file of the evidence store, named by SHA-256) — :func:`close_with_evidence`, or
- for a finding, by a later *complete* scan of the same scanner that examined the finding's target (or
  re-scanned the same subject) and in which its fingerprint no longer fails — :func:`resolve_by_scan`,
  called by ``record_scan_in`` in the scan's own transaction. Voiding that scan reopens the task.

The owner and due date of a requirement or finding are those of its task (at most one task not closed per
requirement, or per finding fingerprint). Every change writes its audit entry in the same transaction."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

import orjson
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from csmguard.auth.roles import Permission, Role, allows
from csmguard.catalog.loader import load_catalog
from csmguard.dates import taipei_today
from csmguard.domain import FindingStatus, LocalizedText, Severity
from csmguard.domain.coverage import ScanState
from csmguard.domain.errors import InputError
from csmguard.domain.result import ScanResult
from csmguard.services import audit
from csmguard.store.db import session_scope
from csmguard.store.models import EvidenceRow, FindingRow, ScanRow
from csmguard.store.models_web import UserRow
from csmguard.store.models_workflow import TaskRow
from csmguard.workspace import Workspace

SYSTEM_ACTOR = "csmguard"  # the actor of a task closed by a scan


class TaskState(StrEnum):
    """Where a remediation task stands."""

    OPEN = "open"
    IN_PROGRESS = "in_progress"
    AWAITING_VERIFICATION = "awaiting_verification"
    CLOSED = "closed"


# The moves a person may make; closing is not among them (evidence or a resolving scan closes a task).
MOVES: dict[TaskState, frozenset[TaskState]] = {
    TaskState.OPEN: frozenset({TaskState.IN_PROGRESS}),
    TaskState.IN_PROGRESS: frozenset({TaskState.OPEN, TaskState.AWAITING_VERIFICATION}),
    TaskState.AWAITING_VERIFICATION: frozenset({TaskState.IN_PROGRESS}),
    TaskState.CLOSED: frozenset(),
}
SEVERITY_RANK = {s.value: rank for rank, s in enumerate(Severity)}


@dataclass(frozen=True)
class TaskView:
    """A remediation task as lists and pages show it."""

    id: str
    kind: str
    requirement: str
    article: str
    fingerprint: str | None
    rule_id: str | None
    severity: str | None
    target: str | None
    title: LocalizedText
    state: TaskState
    owner: str | None
    due_on: date | None
    created_by: str
    created_at: datetime
    closed_by: str | None
    closed_at: datetime | None
    closure: str | None
    closure_evidence: str | None
    closure_scan: str | None
    closure_note: str | None

    def overdue(self, today: date) -> bool:
        """Whether the task is not closed and its due date has passed on ``today``."""
        return self.state is not TaskState.CLOSED and self.due_on is not None and self.due_on < today


@dataclass(frozen=True)
class TaskFilter:
    """Which tasks a list shows (every field optional)."""

    owner: str | None = None
    state: TaskState | None = None
    open_only: bool = False
    article: str | None = None
    severity: str | None = None
    requirement: str | None = None
    overdue_on: date | None = None  # only tasks overdue on this day


def as_utc(value: datetime) -> datetime:
    """A stored time as an aware UTC datetime (SQLite gives them back without an offset)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def _view(row: TaskRow) -> TaskView:
    return TaskView(id=row.id, kind=row.kind, requirement=row.requirement, article=row.article,
                    fingerprint=row.fingerprint, rule_id=row.rule_id, severity=row.severity, target=row.target,
                    title=LocalizedText.model_validate(orjson.loads(row.title)), state=TaskState(row.state),
                    owner=row.owner, due_on=row.due_on, created_by=row.created_by, created_at=as_utc(row.created_at),
                    closed_by=row.closed_by, closed_at=None if row.closed_at is None else as_utc(row.closed_at),
                    closure=row.closure, closure_evidence=row.closure_evidence, closure_scan=row.closure_scan,
                    closure_note=row.closure_note)


def _audit_view(row: TaskRow) -> dict[str, Any]:
    return {"kind": row.kind, "requirement": row.requirement, "fingerprint": row.fingerprint, "rule_id": row.rule_id,
            "state": row.state, "owner": row.owner, "due_on": None if row.due_on is None else row.due_on.isoformat(),
            "closure": row.closure, "closure_evidence": row.closure_evidence, "closure_scan": row.closure_scan,
            "closure_note": row.closure_note}


def _check_owner(session: Session, owner: str | None) -> str | None:
    """The owner's user name as stored, if ``owner`` names an active account that may edit or triage."""
    if owner is None or not owner.strip():
        return None
    user = session.scalar(select(UserRow).where(func.lower(UserRow.username) == owner.strip().lower()))
    if user is None or not user.active:
        raise InputError(None, f"owner {owner!r} is not an active user account (see 'csmguard user list')",
                         field="owner")
    role = Role(user.role)
    if not (allows(role, Permission.EDIT_COMPLIANCE) or allows(role, Permission.TRIAGE)):
        raise InputError(None, f"{user.username} ({user.role}) cannot work on tasks: the role is read-only",
                         field="owner")
    return user.username


def _task(session: Session, task_id: str) -> TaskRow:
    """A task by id or unique prefix (at least 8 characters)."""
    row = session.get(TaskRow, task_id)
    if row is None and len(task_id) >= 8:
        rows = session.scalars(select(TaskRow).where(TaskRow.id.startswith(task_id))).all()
        row = rows[0] if len(rows) == 1 else None
    if row is None:
        raise InputError(None, f"no remediation task {task_id!r}", field="task")
    return row


def _open_task_for(session: Session, *, fingerprint: str | None = None,
                   requirement: str | None = None) -> TaskRow | None:
    query = select(TaskRow).where(TaskRow.state != TaskState.CLOSED.value)
    if fingerprint is not None:
        query = query.where(TaskRow.fingerprint == fingerprint)
    else:
        query = query.where(TaskRow.kind == "requirement", TaskRow.requirement == requirement)
    return session.scalars(query.limit(1)).first()


def _article_of(requirement: str) -> str:
    """``CSM-4.1.2`` → ``CSM-4``."""
    return ".".join(requirement.split(".")[:1])


def _new_row(kind: str, requirement: str, title: LocalizedText, owner: str | None, due_on: date | None,
             actor: str, **finding: Any) -> TaskRow:
    now = datetime.now(UTC)
    return TaskRow(id=str(uuid.uuid4()), kind=kind, requirement=requirement, article=_article_of(requirement),
                   title=orjson.dumps(title.as_dict()).decode("utf-8"), state=TaskState.OPEN.value, owner=owner,
                   due_on=due_on, created_by=actor, created_at=now, updated_at=now, **finding)


def open_for_finding(ws: Workspace, fingerprint: str, *, actor: str, owner: str | None = None,
                     due_on: date | None = None) -> TaskView:
    """A task for the current failing finding with ``fingerprint`` (refused when it has an open task)."""
    with audit.write_scope(ws.engine()) as session:
        found = session.execute(
            select(FindingRow, ScanRow.scanner, ScanRow.subject).join(ScanRow, ScanRow.id == FindingRow.scan_id)
            .where(FindingRow.fingerprint == fingerprint, FindingRow.current.is_(True),
                   FindingRow.status == FindingStatus.FAIL.value).order_by(FindingRow.id.desc()).limit(1)).first()
        if found is None:
            raise InputError(None, f"no current failing finding {fingerprint[:12]}", field="fingerprint")
        finding, scanner, subject = found
        existing = _open_task_for(session, fingerprint=fingerprint)
        if existing is not None:
            raise InputError(None, f"the finding already has task {existing.id[:8]} ({existing.state})", field="task")
        if not finding.requirements:
            raise InputError(None, f"finding {fingerprint[:12]} names no requirement", field="fingerprint")
        title = LocalizedText.model_validate(finding.data["title"])
        row = _new_row("finding", finding.requirements[0], title, _check_owner(session, owner), due_on, actor,
                       fingerprint=fingerprint, rule_id=finding.rule_id, severity=finding.severity, scanner=scanner,
                       subject=subject, target=finding.target)
        session.add(row)
        session.flush()
        audit.append(session, actor, "task.open", "task", row.id, None, _audit_view(row))
        return _view(row)


def open_for_requirement(ws: Workspace, requirement: str, *, actor: str, owner: str | None = None,
                         due_on: date | None = None) -> TaskView:
    """A task for a requirement (refused when the requirement already has an open task)."""
    catalog = load_catalog(ws.settings.edition)
    if not catalog.has(requirement) or not catalog.node(requirement).is_requirement:
        raise InputError(None, f"{requirement} is not an assessable requirement of {catalog.edition}",
                         field="requirement")
    node = catalog.node(requirement)
    with audit.write_scope(ws.engine()) as session:
        existing = _open_task_for(session, requirement=requirement)
        if existing is not None:
            raise InputError(None, f"{requirement} already has task {existing.id[:8]} ({existing.state})",
                             field="task")
        row = _new_row("requirement", requirement, node.title, _check_owner(session, owner), due_on, actor)
        session.add(row)
        session.flush()
        audit.append(session, actor, "task.open", "task", row.id, None, _audit_view(row))
        return _view(row)


def open_for_non_compliant(ws: Workspace, requirements: Iterable[str], *, actor: str) -> list[TaskView]:
    """A task for each of ``requirements`` (the non-compliant ones of an assessment) that has none open."""
    opened: list[TaskView] = []
    with session_scope(ws.engine()) as session:
        wanted = [r for r in dict.fromkeys(requirements) if _open_task_for(session, requirement=r) is None]
    for requirement in wanted:
        opened.append(open_for_requirement(ws, requirement, actor=actor))
    return opened


def assign(ws: Workspace, task_id: str, *, actor: str, owner: str | None = None, due_on: date | None = None,
           clear_due: bool = False) -> TaskView:
    """Set a task's owner and/or due date (``clear_due`` removes the due date)."""
    with audit.write_scope(ws.engine()) as session:
        row = _task(session, task_id)
        if row.state == TaskState.CLOSED.value:
            raise InputError(None, f"task {row.id[:8]} is closed", field="task")
        before = _audit_view(row)
        if owner is not None:
            row.owner = _check_owner(session, owner)
        if due_on is not None or clear_due:
            row.due_on = None if clear_due else due_on
        row.updated_at = datetime.now(UTC)
        session.flush()
        audit.append(session, actor, "task.assign", "task", row.id, before, _audit_view(row))
        return _view(row)


def move(ws: Workspace, task_id: str, state: TaskState | str, *, actor: str) -> TaskView:
    """Move a task to another state it may reach by hand (never to closed: see the module text)."""
    target = TaskState(state)
    with audit.write_scope(ws.engine()) as session:
        row = _task(session, task_id)
        current = TaskState(row.state)
        if target not in MOVES[current]:
            if target is TaskState.CLOSED:
                raise InputError(None, "a task closes with evidence ('task close --evidence') or when a later "
                                 "complete scan resolves its finding", field="state")
            raise InputError(None, f"task {row.id[:8]} cannot go from {current.value} to {target.value}",
                             field="state")
        before = _audit_view(row)
        row.state, row.updated_at = target.value, datetime.now(UTC)
        session.flush()
        audit.append(session, actor, "task.move", "task", row.id, before, _audit_view(row))
        return _view(row)


def close_with_evidence(ws: Workspace, task_id: str, sha256: str, *, actor: str, note: str = "") -> TaskView:
    """Close a task with a file of the evidence store (SHA-256 or a unique prefix of at least 8 digits)."""
    with audit.write_scope(ws.engine()) as session:
        row = _task(session, task_id)
        if row.state == TaskState.CLOSED.value:
            raise InputError(None, f"task {row.id[:8]} is already closed", field="task")
        digest = sha256.strip().lower()
        evidence = session.get(EvidenceRow, digest)
        if evidence is None and len(digest) >= 8:
            matches = session.scalars(select(EvidenceRow).where(EvidenceRow.sha256.startswith(digest))).all()
            evidence = matches[0] if len(matches) == 1 else None
        if evidence is None:
            raise InputError(None, f"no evidence file {sha256!r} in this workspace", field="evidence")
        before = _audit_view(row)
        now = datetime.now(UTC)
        row.state, row.closure, row.closure_evidence = TaskState.CLOSED.value, "evidence", evidence.sha256
        row.closed_by, row.closed_at, row.updated_at, row.closure_note = actor, now, now, note.strip() or None
        session.flush()
        audit.append(session, actor, "task.close", "task", row.id, before, _audit_view(row))
        return _view(row)


def resolve_by_scan(session: Session, scan: ScanRow, result: ScanResult) -> list[str]:
    """Close, in the scan's transaction, every open finding task the newly recorded complete ``scan``
    resolves: same scanner, same subject or (target, rule) among what ``result`` examined, and the
    fingerprint has no current failing finding any more. Returns the closed tasks' ids."""
    if scan.state != ScanState.COMPLETE.value:
        return []
    candidates = session.scalars(select(TaskRow).where(TaskRow.kind == "finding", TaskRow.scanner == scan.scanner,
                                                       TaskRow.state != TaskState.CLOSED.value)).all()
    if not candidates:
        return []
    pairs = result.covered_keys()
    closed: list[str] = []
    now = datetime.now(UTC)
    for row in candidates:
        if row.subject != scan.subject and (row.target, row.rule_id) not in pairs:
            continue
        still_failing = session.scalar(select(FindingRow.id).where(
            FindingRow.fingerprint == row.fingerprint, FindingRow.current.is_(True),
            FindingRow.status == FindingStatus.FAIL.value).limit(1))
        if still_failing is not None:
            continue
        before = _audit_view(row)
        row.state, row.closure, row.closure_scan = TaskState.CLOSED.value, "rescan", scan.id
        row.closed_by, row.closed_at, row.updated_at = SYSTEM_ACTOR, now, now
        session.flush()
        audit.append(session, SYSTEM_ACTOR, "task.close", "task", row.id, before, _audit_view(row))
        closed.append(row.id)
    return closed


def reopen_for_void(session: Session, scan_id: str, actor: str) -> list[str]:
    """Reopen (awaiting verification) the tasks a now-voided scan had closed, in the void's transaction."""
    rows = session.scalars(select(TaskRow).where(TaskRow.closure_scan == scan_id,
                                                 TaskRow.state == TaskState.CLOSED.value)).all()
    for row in rows:
        before = _audit_view(row)
        row.state, row.closure, row.closure_scan = TaskState.AWAITING_VERIFICATION.value, None, None
        row.closed_by = row.closed_at = None
        row.updated_at = datetime.now(UTC)
        session.flush()
        audit.append(session, actor, "task.reopen", "task", row.id, before, _audit_view(row) | {"voided_scan": scan_id})
    return [row.id for row in rows]


def list_tasks(ws: Workspace, wanted: TaskFilter = TaskFilter()) -> list[TaskView]:
    """The tasks ``wanted`` selects: overdue first, then by due date, severity and requirement."""
    query = select(TaskRow)
    if wanted.owner:
        query = query.where(func.lower(TaskRow.owner) == wanted.owner.lower())
    if wanted.state is not None:
        query = query.where(TaskRow.state == wanted.state.value)
    elif wanted.open_only:
        query = query.where(TaskRow.state != TaskState.CLOSED.value)
    if wanted.article:
        query = query.where(TaskRow.article == wanted.article)
    if wanted.severity:
        query = query.where(TaskRow.severity == wanted.severity)
    if wanted.requirement:
        query = query.where(TaskRow.requirement == wanted.requirement)
    if wanted.overdue_on is not None:
        query = query.where(TaskRow.state != TaskState.CLOSED.value, TaskRow.due_on < wanted.overdue_on)
    with session_scope(ws.engine()) as session:
        views = [_view(row) for row in session.scalars(query)]
    today = taipei_today()
    return sorted(views, key=lambda t: (t.state is TaskState.CLOSED, not t.overdue(today), t.due_on or date.max,
                                        SEVERITY_RANK.get(t.severity or "", len(SEVERITY_RANK)), t.requirement))


def get_task(ws: Workspace, task_id: str) -> TaskView:
    """One task by id or unique prefix."""
    with session_scope(ws.engine()) as session:
        return _view(_task(session, task_id))


def open_tasks_by_fingerprint(ws: Workspace) -> dict[str, TaskView]:
    """The task not closed of every finding that has one, by fingerprint (for the findings page)."""
    with session_scope(ws.engine()) as session:
        rows = session.scalars(select(TaskRow).where(TaskRow.kind == "finding",
                                                     TaskRow.state != TaskState.CLOSED.value)).all()
        return {row.fingerprint: _view(row) for row in rows if row.fingerprint}
