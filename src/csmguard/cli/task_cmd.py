"""``csmguard task``: remediation tasks — list (mine, overdue, by owner, article, severity, state), open from a
failing finding or a requirement (or every non-compliant requirement of an assessment), assign an owner and a
due date, move, and close with evidence. A later complete scan that no longer finds the problem closes a
finding's task by itself."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import orjson
import typer
from rich.console import Console
from rich.table import Table

from csmguard.assessment.model import ComplianceStatus
from csmguard.cli.common import LangOption, emit, input_errors_exit, stderr_console
from csmguard.cli.init_cmd import WorkspaceOption, open_ws
from csmguard.dates import taipei_today
from csmguard.domain import Lang, Severity
from csmguard.services import tasks
from csmguard.services.assessment import load_assessment
from csmguard.services.audit import os_actor
from csmguard.services.tasks import TaskFilter, TaskState, TaskView
from csmguard.services.workspace import add_evidence

app = typer.Typer(help="Remediation tasks: owner, due date, state. 改善任務。", no_args_is_help=True)
ByOption = Annotated[str | None, typer.Option("--by", help="Who makes the change (default: the OS user).")]
DueOption = Annotated[datetime | None, typer.Option("--due", formats=["%Y-%m-%d"], help="Due date, YYYY-MM-DD.")]
STATE_LABELS = {TaskState.OPEN: ("待處理", "open"), TaskState.IN_PROGRESS: ("處理中", "in progress"),
                TaskState.AWAITING_VERIFICATION: ("待驗證", "awaiting verification"),
                TaskState.CLOSED: ("已結案", "closed")}


def _label(pair: tuple[str, str], lang: Lang) -> str:
    return pair[0] if lang is Lang.ZH_TW else pair[1]


def _json(view: TaskView) -> dict[str, object]:
    return {"id": view.id, "kind": view.kind, "requirement": view.requirement, "article": view.article,
            "fingerprint": view.fingerprint, "rule_id": view.rule_id, "severity": view.severity,
            "target": view.target, "title": view.title.as_dict(), "state": view.state.value, "owner": view.owner,
            "due_on": view.due_on, "overdue": view.overdue(taipei_today()), "created_by": view.created_by,
            "created_at": view.created_at, "closed_by": view.closed_by, "closed_at": view.closed_at,
            "closure": view.closure, "closure_evidence": view.closure_evidence, "closure_scan": view.closure_scan,
            "closure_note": view.closure_note}


def _done(message: tuple[str, str], view: TaskView, lang: Lang) -> None:
    state = _label(STATE_LABELS[view.state], lang)
    stderr_console().print(f"{_label(message, lang)} {view.id[:8]} ({view.requirement}, {state})")
    typer.echo(view.id)


@app.command("list")
def list_(
    mine: Annotated[bool, typer.Option("--mine", help="Only the tasks of --owner, or of the OS user.")] = False,
    owner: Annotated[str | None, typer.Option("--owner")] = None,
    article: Annotated[str | None, typer.Option("--article", help="e.g. CSM-4")] = None,
    severity: Annotated[str | None, typer.Option("--severity")] = None,
    state: Annotated[TaskState | None, typer.Option("--state")] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only tasks past their due date.")] = False,
    closed: Annotated[bool, typer.Option("--closed", help="Include closed tasks.")] = False,
    json: Annotated[bool, typer.Option("--json")] = False,
    lang: LangOption = Lang.ZH_TW,
    workspace: WorkspaceOption = None,
) -> None:
    """List tasks: overdue first, then by due date and severity; zh-TW by default."""
    ws = open_ws(workspace)
    who = owner or (os_actor() if mine else None)
    today = taipei_today()
    wanted = TaskFilter(owner=who, state=state, open_only=not closed and state is None, article=article,
                        severity=severity, overdue_on=today if overdue else None)
    items = tasks.list_tasks(ws, wanted)
    if json:
        emit(orjson.dumps([_json(v) for v in items], option=orjson.OPT_INDENT_2) + b"\n", None)
        return
    zh = lang is Lang.ZH_TW
    table = Table("ID", "條文" if zh else "Req.", "內容" if zh else "Subject", "嚴重度" if zh else "Severity",
                  "負責人" if zh else "Owner", "期限" if zh else "Due", "狀態" if zh else "State",
                  title=("改善任務" if zh else "Remediation tasks") + f" ({len(items)})")
    for v in items:
        due = v.due_on.isoformat() if v.due_on else "—"
        if v.overdue(today):
            due = f"[bold red]{due} {'已逾期' if zh else 'overdue'}[/]"
        subject = v.title.get(lang)[:50] + (f" [{v.rule_id}]" if v.rule_id else "")
        table.add_row(v.id[:8], v.requirement, subject, Severity(v.severity).label.get(lang) if v.severity
                      else "—", v.owner or ("（未指派）" if zh else "(unassigned)"), due,
                      _label(STATE_LABELS[v.state], lang))
    Console(width=160).print(table)


@app.command("open")
def open_(
    finding: Annotated[str | None, typer.Option("--finding", help="Fingerprint of a current failing finding.")] = None,
    requirement: Annotated[str | None, typer.Option("--requirement", help="Requirement ID, e.g. CSM-4.1.")] = None,
    owner: Annotated[str | None, typer.Option("--owner", help="A user account (csmguard user list).")] = None,
    due: DueOption = None, by: ByOption = None, lang: LangOption = Lang.ZH_TW, workspace: WorkspaceOption = None,
) -> None:
    """Open a task for a failing finding or a requirement; prints its id."""
    ws = open_ws(workspace)
    actor = by or os_actor()
    with input_errors_exit():
        if (finding is None) == (requirement is None):
            raise typer.BadParameter("give exactly one of --finding or --requirement")
        if finding is not None:
            view = tasks.open_for_finding(ws, finding, actor=actor, owner=owner, due_on=due.date() if due else None)
        else:
            assert requirement is not None
            view = tasks.open_for_requirement(ws, requirement, actor=actor, owner=owner,
                                              due_on=due.date() if due else None)
    _done(("已建立任務", "Opened task"), view, lang)


@app.command("sync")
def sync(
    assessment: Annotated[str, typer.Option("--assessment", "-a", help="id, prefix, latest or previous")] = "latest",
    by: ByOption = None, lang: LangOption = Lang.ZH_TW, workspace: WorkspaceOption = None,
) -> None:
    """Open a task for every non-compliant requirement of a saved assessment that has none open."""
    ws = open_ws(workspace)
    with input_errors_exit():
        saved = load_assessment(ws, assessment)
        wanted = [r.id for r in saved.result.requirements if r.status is ComplianceStatus.NON_COMPLIANT]
        opened = tasks.open_for_non_compliant(ws, wanted, actor=by or os_actor())
    message = (f"已為 {len(opened)} 項不符合條文建立任務（共 {len(wanted)} 項不符合）" if lang is Lang.ZH_TW
               else f"Opened {len(opened)} task(s) ({len(wanted)} non-compliant requirement(s))")
    stderr_console().print(message)
    for view in opened:
        typer.echo(view.id)


@app.command("assign")
def assign(
    task_id: Annotated[str, typer.Argument(help="Task id or a unique prefix (8+ characters).")],
    owner: Annotated[str | None, typer.Option("--owner")] = None, due: DueOption = None,
    clear_due: Annotated[bool, typer.Option("--clear-due")] = False,
    by: ByOption = None, lang: LangOption = Lang.ZH_TW, workspace: WorkspaceOption = None,
) -> None:
    """Set a task's owner and/or due date."""
    ws = open_ws(workspace)
    with input_errors_exit():
        view = tasks.assign(ws, task_id, actor=by or os_actor(), owner=owner, due_on=due.date() if due else None,
                            clear_due=clear_due)
    _done(("已指派", "Assigned"), view, lang)


@app.command("move")
def move(
    task_id: Annotated[str, typer.Argument()],
    state: Annotated[TaskState, typer.Argument(help="open, in_progress or awaiting_verification")],
    by: ByOption = None, lang: LangOption = Lang.ZH_TW, workspace: WorkspaceOption = None,
) -> None:
    """Move a task; closing needs evidence (task close) or a resolving scan."""
    ws = open_ws(workspace)
    with input_errors_exit():
        view = tasks.move(ws, task_id, state, actor=by or os_actor())
    _done(("已變更狀態", "Moved"), view, lang)


@app.command("close")
def close(
    task_id: Annotated[str, typer.Argument()],
    evidence: Annotated[str, typer.Option("--evidence", "-e", help="A file (added to the store) or a SHA-256.")],
    note: Annotated[str, typer.Option("--note")] = "",
    by: ByOption = None, lang: LangOption = Lang.ZH_TW, workspace: WorkspaceOption = None,
) -> None:
    """Close a task with evidence of the fix."""
    ws = open_ws(workspace)
    actor = by or os_actor()
    with input_errors_exit():
        path = Path(evidence)
        digest = add_evidence(ws, path, actor=actor).sha256 if path.is_file() else evidence
        view = tasks.close_with_evidence(ws, task_id, digest, actor=actor, note=note)
    _done(("已結案", "Closed"), view, lang)
