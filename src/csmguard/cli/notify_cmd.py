"""``csmguard notify``: each web user's notification preferences, the run that queues and delivers notifications
(e-mail over SMTP, Teams/Slack/JSON webhooks), and the outbox. 通知設定與發送。"""

from __future__ import annotations

import os
from typing import Annotated

import orjson
import typer
from rich.console import Console
from rich.table import Table

from csmguard.cli.common import LangOption, emit, input_errors_exit, stderr_console
from csmguard.cli.init_cmd import WorkspaceOption, open_ws
from csmguard.domain import Lang
from csmguard.domain.errors import InputError
from csmguard.services import audit
from csmguard.services.notify import get_prefs, outbox, run_notifications, set_prefs
from csmguard.store.db import session_scope

app = typer.Typer(help="Notifications: preferences per web user, sending, the outbox. 通知。", no_args_is_help=True)
prefs_app = typer.Typer(help="A web user's notification preferences. 使用者通知偏好。", no_args_is_help=True)
app.add_typer(prefs_app, name="prefs")


@prefs_app.command("show")
def prefs_show(user: Annotated[str, typer.Argument(help="The web user's name.")], workspace: WorkspaceOption = None,
               ) -> None:
    """A user's preferences as JSON (the webhook only by its host)."""
    ws = open_ws(workspace)
    with input_errors_exit(), session_scope(ws.engine()) as session:
        prefs = get_prefs(session, user)
    ws.close()
    emit(orjson.dumps(prefs.as_dict(), option=orjson.OPT_INDENT_2) + b"\n", None)


@prefs_app.command("set")
def prefs_set(
    user: Annotated[str, typer.Argument(help="The web user's name.")],
    email: Annotated[str | None, typer.Option("--email", help="E-mail address ('' removes it).")] = None,
    webhook_kind: Annotated[str | None, typer.Option("--webhook-kind", help="teams, slack or json.")] = None,
    webhook_url_env: Annotated[str | None, typer.Option(
        "--webhook-url-env", help="The environment variable holding the webhook address (kept out of the shell "
        "history; '' in it removes the webhook).")] = None,
    mode: Annotated[str | None, typer.Option("--mode", help="immediate or digest.")] = None,
    digest_hour: Annotated[int | None, typer.Option("--digest-hour", help="Hour of the daily digest (0-23, "
                                                    "Asia/Taipei).")] = None,
    lead_days: Annotated[int | None, typer.Option("--lead-days", help="Tell of a deadline this many days ahead.")
                         ] = None,
    events: Annotated[str | None, typer.Option("--events", help="Comma-separated: status_worse, deadline, privacy "
                                               "('' for none).")] = None,
    lang: Annotated[str | None, typer.Option("--notify-lang", help="Language of the notifications: zh-TW or en.")
                    ] = None,
    actor: Annotated[str | None, typer.Option("--actor", help="Who makes the change (default: the OS user).")
                     ] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Change a user's preferences; options left out keep their value."""
    ws = open_ws(workspace)
    kwargs: dict[str, object] = {}
    if email is not None:
        kwargs["email"] = email
    if webhook_kind is not None:
        kwargs["webhook_kind"] = webhook_kind
    with input_errors_exit():
        if webhook_url_env is not None:
            if webhook_url_env not in os.environ:
                raise InputError(None, f"the environment variable {webhook_url_env} is not set",
                                 field="--webhook-url-env")
            kwargs["webhook_url"] = os.environ[webhook_url_env]
        chosen = None if events is None else [e.strip() for e in events.split(",") if e.strip()]
        with audit.write_scope(ws.engine()) as session:
            prefs = set_prefs(session, actor or audit.os_actor(), user, mode=mode, digest_hour=digest_hour,
                              lead_days=lead_days, events=chosen, lang=lang, **kwargs)  # type: ignore[arg-type]
    ws.close()
    emit(orjson.dumps(prefs.as_dict(), option=orjson.OPT_INDENT_2) + b"\n", None)


@app.command("run")
def run(
    base_url: Annotated[str, typer.Option("--base-url", help="The web app's address, for links in messages.")] = "",
    json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    lang: LangOption = Lang.ZH_TW,
    workspace: WorkspaceOption = None,
) -> None:
    """Find new events (status got worse, deadlines near or past, new privacy-policy versions), queue them for
    each user who wants them, and send what is due. Exit 1 when a delivery failed."""
    ws = open_ws(workspace)
    with input_errors_exit():
        report = run_notifications(ws, base_url=base_url.rstrip("/"))
    ws.close()
    if json:
        emit(orjson.dumps(report.as_dict(), option=orjson.OPT_INDENT_2) + b"\n", None)
    else:
        zh = lang is Lang.ZH_TW
        typer.echo((f"事件 {report.events}、新排入 {report.queued}、已送出 {report.sent}、失敗 {report.failed}、"
                    f"待摘要 {report.waiting_for_digest}") if zh else
                   (f"events {report.events}, queued {report.queued}, sent {report.sent}, failed {report.failed}, "
                    f"waiting for digest {report.waiting_for_digest}"))
        for error in dict.fromkeys(report.errors):
            stderr_console().print(("發送失敗：" if zh else "delivery failed: ") + error, markup=False)
    if report.failed:
        raise typer.Exit(1)


@app.command("outbox")
def show_outbox(limit: Annotated[int, typer.Option("--limit", min=1, max=10_000)] = 50, lang: LangOption = Lang.ZH_TW,
                workspace: WorkspaceOption = None) -> None:
    """The latest queued notifications: user, channel, title, sent or the last error."""
    ws = open_ws(workspace)
    rows = outbox(ws, limit)
    ws.close()
    zh = lang is Lang.ZH_TW
    table = Table("使用者" if zh else "User", "管道" if zh else "Channel", "通知" if zh else "Notification",
                  "送出" if zh else "Sent", "錯誤" if zh else "Error")
    for row in rows:
        title = (row["title"] or {}).get(lang.value, "")
        table.add_row(row["user"], row["channel"], title, row["sent_at"] or "", row["last_error"] or "")
    Console(width=200).print(table)
