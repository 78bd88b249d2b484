"""Remediation tasks in the web app: "my tasks" and every task, filtered by owner, article, severity and
state, overdue ones highlighted; open a task from a finding or a requirement, assign it, move it, close it
with evidence (services.tasks; a resolving rescan closes a finding's task by itself)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from csmguard.auth.roles import Permission
from csmguard.dates import taipei_today
from csmguard.domain import Severity
from csmguard.domain.errors import InputError
from csmguard.services import tasks, web_accounts
from csmguard.services.tasks import TaskFilter, TaskState
from csmguard.services.workspace import list_evidence
from csmguard.store.db import session_scope
from csmguard.web.deps import Principal, Require, render, request_lang
from csmguard.web.i18n import translate
from csmguard.web.state import app_state

router = APIRouter()
Viewer = Annotated[Principal, Depends(Require(Permission.VIEW))]
Worker = Annotated[Principal, Depends(Require(Permission.TRIAGE))]


def _page(request: Request, principal: Principal, wanted: TaskFilter, mine: bool, status: int = 200,
          error: str | None = None) -> Response:
    state = app_state(request)
    with session_scope(state.engine) as db:
        owners = [u.username for u in web_accounts.list_users(db) if u.active]
    return render(request, "tasks.html", status, tasks=tasks.list_tasks(state.workspace, wanted), wanted=wanted,
                  mine=mine, owners=owners, articles=state.catalog.catalog.article_ids(),
                  severities=[s.value for s in Severity], states=list(TaskState), today=taipei_today(),
                  evidence_items=list_evidence(state.workspace), moves=tasks.MOVES,
                  flash=error, flash_kind="error" if error else "ok")


@router.get("/tasks")
def task_list(request: Request, principal: Viewer, mine: Annotated[bool, Query()] = True,
              owner: Annotated[str, Query(max_length=64)] = "", article: Annotated[str, Query(max_length=16)] = "",
              severity: Annotated[str, Query(max_length=16)] = "", state: Annotated[str, Query(max_length=32)] = "",
              overdue: Annotated[bool, Query()] = False) -> Response:
    """My open tasks by default; every task with ``mine=false``, filtered by owner, article, severity, state."""
    chosen_state = TaskState(state) if state in {s.value for s in TaskState} else None
    wanted = TaskFilter(owner=principal.username if mine else owner or None, state=chosen_state,
                        open_only=chosen_state is None, article=article or None, severity=severity or None,
                        overdue_on=taipei_today() if overdue else None)
    return _page(request, principal, wanted, mine)


def _refused(request: Request, principal: Principal, error: InputError) -> Response:
    message = translate(request_lang(request), "action_refused", detail=error.describe())
    return _page(request, principal, TaskFilter(open_only=True), False, 400, message)


@router.post("/tasks")
def task_open(request: Request, principal: Worker, requirement: Annotated[str, Form(max_length=32)] = "",
              fingerprint: Annotated[str, Form(max_length=64)] = "", owner: Annotated[str, Form(max_length=64)] = "",
              due_on: Annotated[date | None, Form()] = None) -> Response:
    """Open a task for a failing finding (``fingerprint``) or a requirement, with an owner and a due date."""
    ws = app_state(request).workspace
    try:
        if fingerprint:
            tasks.open_for_finding(ws, fingerprint, actor=principal.username, owner=owner or None, due_on=due_on)
        elif requirement:
            tasks.open_for_requirement(ws, requirement, actor=principal.username, owner=owner or None, due_on=due_on)
        else:
            raise InputError(None, "name a finding or a requirement", field="requirement")
    except InputError as error:
        return _refused(request, principal, error)
    return RedirectResponse("/tasks?mine=false", status_code=303)


@router.post("/tasks/{task_id}/assign")
def task_assign(request: Request, principal: Worker, task_id: str, owner: Annotated[str, Form(max_length=64)] = "",
                due_on: Annotated[date | None, Form()] = None) -> Response:
    """Set a task's owner and due date."""
    try:
        tasks.assign(app_state(request).workspace, task_id, actor=principal.username, owner=owner or None,
                     due_on=due_on)
    except InputError as error:
        return _refused(request, principal, error)
    return RedirectResponse("/tasks?mine=false", status_code=303)


@router.post("/tasks/{task_id}/move")
def task_move(request: Request, principal: Worker, task_id: str,
              state: Annotated[str, Form(max_length=32)]) -> Response:
    """Move a task (open ↔ in progress → awaiting verification); closing needs evidence or a rescan."""
    try:
        tasks.move(app_state(request).workspace, task_id, state, actor=principal.username)
    except (InputError, ValueError) as error:
        problem = error if isinstance(error, InputError) else InputError(None, str(error), field="state")
        return _refused(request, principal, problem)
    return RedirectResponse("/tasks?mine=false", status_code=303)


@router.post("/tasks/{task_id}/close")
def task_close(request: Request, principal: Worker, task_id: str, evidence: Annotated[str, Form(max_length=64)],
               note: Annotated[str, Form(max_length=2000)] = "") -> Response:
    """Close a task with a file of the evidence store."""
    try:
        tasks.close_with_evidence(app_state(request).workspace, task_id, evidence, actor=principal.username,
                                  note=note)
    except InputError as error:
        return _refused(request, principal, error)
    return RedirectResponse("/tasks?mine=false&state=closed", status_code=303)
