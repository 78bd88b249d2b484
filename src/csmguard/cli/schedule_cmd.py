"""``csmguard schedule``: cron-like schedules of endpoint, site, privacy-policy and register checks and of the
notification run, enqueued on the job queue when due. 排程。"""

from __future__ import annotations

import time
from typing import Annotated, Any

import orjson
import typer
from rich.console import Console
from rich.table import Table

from csmguard.cli.common import LangOption, emit, input_errors_exit
from csmguard.cli.init_cmd import WorkspaceOption, open_ws
from csmguard.domain import Lang
from csmguard.jobs import table
from csmguard.jobs.kinds import KINDS
from csmguard.jobs.queue import LocalQueue
from csmguard.services.schedules import JOB_KINDS, add_schedule, list_schedules, remove_schedule, run_due

app = typer.Typer(help="Schedules of checks, enqueued on the job queue when due. 排程檢測。", no_args_is_help=True)
WAIT_POLL_SECONDS = 0.5
_STATE_ZH = {"queued": "已排入佇列", "running": "執行中", "done": "完成", "failed": "失敗", "cancelled": "已取消",
             "unknown": "不明"}


@app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="A name for the schedule (letters, digits, _ . -).")],
    kind: Annotated[str, typer.Option("--kind", help=f"What to run: {', '.join(JOB_KINDS)}.")],
    cron: Annotated[str, typer.Option("--cron", help="When, as cron (minute hour day month weekday) in "
                                      "Asia/Taipei, e.g. '0 2 * * 1'.")],
    target: Annotated[list[str] | None, typer.Option("--target", help="endpoint: a target (repeatable).")] = None,
    url: Annotated[str | None, typer.Option("--url", help="site: the official website.")] = None,
    allow_private: Annotated[bool, typer.Option("--allow-private", help="endpoint, site, privacy: allow private "
                                                "and loopback addresses.")] = False,
    base_url: Annotated[str, typer.Option("--base-url", help="notify: the web app's address for links.")] = "",
    actor: Annotated[str | None, typer.Option("--actor", help="Who adds it (default: the OS user).")] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Add a schedule; it first runs at the next time its cron expression gives."""
    ws = open_ws(workspace)
    with input_errors_exit():
        schedule = add_schedule(ws, name, kind, cron, targets=target, url=url, allow_private=allow_private,
                                base_url=base_url, actor=actor)
    ws.close()
    emit(orjson.dumps(schedule.as_dict(), option=orjson.OPT_INDENT_2) + b"\n", None)


@app.command("list")
def list_(json: Annotated[bool, typer.Option("--json")] = False, lang: LangOption = Lang.ZH_TW,
          workspace: WorkspaceOption = None) -> None:
    """Every schedule with its next and last run (Asia/Taipei)."""
    ws = open_ws(workspace)
    schedules = list_schedules(ws)
    ws.close()
    if json:
        emit(orjson.dumps([s.as_dict() for s in schedules], option=orjson.OPT_INDENT_2) + b"\n", None)
        return
    zh = lang is Lang.ZH_TW
    grid = Table("名稱" if zh else "Name", "類別" if zh else "Kind", "cron", "下次執行" if zh else "Next run",
                 "上次執行" if zh else "Last run", "最近工作" if zh else "Last job")
    for s in schedules:
        view = s.as_dict()
        grid.add_row(s.name, s.kind, s.cron, view["next_run_at"][:16], (view["last_run_at"] or "")[:16],
                     (s.last_job_id or "")[:12])
    Console(width=200).print(grid)
    if not schedules:
        Console().print("尚無排程。" if zh else "No schedules.")


@app.command("remove")
def remove(name: Annotated[str, typer.Argument(help="The schedule's name.")],
           actor: Annotated[str | None, typer.Option("--actor")] = None, workspace: WorkspaceOption = None) -> None:
    """Delete a schedule (jobs it already queued stay)."""
    ws = open_ws(workspace)
    with input_errors_exit():
        remove_schedule(ws, name, actor=actor)
    ws.close()


@app.command("run-due")
def run_due_cmd(
    work: Annotated[bool, typer.Option("--work/--no-work", help="Also run the jobs here and wait for them "
                                       "(for cron without a running web app); by default they are only queued "
                                       "for the web app's workers.")] = False,
    lang: LangOption = Lang.ZH_TW,
    workspace: WorkspaceOption = None,
) -> None:
    """Enqueue every schedule whose time has come (call it every minute from cron or a timer). Exit 1 when
    --work ran a job that failed."""
    ws = open_ws(workspace)
    engine = ws.engine()
    queue = LocalQueue(engine, ws.root, workers=1) if work else None

    def enqueue(kind: str, payload: dict[str, Any], owner: str, label: str) -> str:
        if queue is not None:
            return queue.enqueue(kind, payload, owner=owner, label=label)
        assert kind in KINDS, kind
        return table.insert(engine, kind, owner, label, payload)

    with input_errors_exit():
        started = run_due(ws, enqueue)
    zh = lang is Lang.ZH_TW
    failed = False
    try:
        for name, job_id in started:
            state = "queued"
            if queue is not None:
                while (status := queue.status(job_id)) is not None and not status.finished:
                    time.sleep(WAIT_POLL_SECONDS)
                state = status.state if status is not None else "unknown"
                failed |= state != "done"
                if status is not None and status.message and state != "done":
                    state += f": {status.message}"
            shown = state
            if zh:
                head, sep, rest = state.partition(":")
                shown = _STATE_ZH.get(head, head) + ("：" + rest.strip() if sep else "")
            typer.echo(f"{name}: {job_id[:12]} {shown}")
    finally:
        if queue is not None:
            queue.stop()
        ws.close()
    if not started:
        typer.echo("沒有到期之排程。" if zh else "No schedule is due.")
    if failed:
        raise typer.Exit(1)
