"""``csmguard exception``: record, list and delete exceptions (compensating controls, CSM-4.1)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import orjson
import typer
from rich.console import Console
from rich.table import Table

from csmguard.cli.common import LangOption, emit, input_errors_exit, stderr_console
from csmguard.cli.init_cmd import WorkspaceOption, open_ws
from csmguard.domain import Lang
from csmguard.services.workspace import add_exception, delete_exception, list_exceptions

app = typer.Typer(help="Exceptions with compensating controls, approver and expiry. 例外。", no_args_is_help=True)


@app.command("add")
def add(
    requirement: Annotated[str, typer.Argument(help="Requirement ID, e.g. CSM-4.3.")],
    rationale: Annotated[str, typer.Option("--rationale", help="Why the requirement is not met as written.")],
    controls: Annotated[str, typer.Option("--controls", help="The compensating controls.")],
    approver: Annotated[str, typer.Option("--approver")],
    expires: Annotated[datetime, typer.Option("--expires", formats=["%Y-%m-%d"], help="YYYY-MM-DD")],
    approved_on: Annotated[datetime | None, typer.Option("--approved-on", formats=["%Y-%m-%d"])] = None,
    rule: Annotated[list[str] | None, typer.Option("--rule", help="Rule IDs the exception covers.")] = None,
    evidence: Annotated[list[str] | None, typer.Option("--evidence", "-e", help="File or SHA-256.")] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Record an exception to a requirement."""
    ws = open_ws(workspace)
    with input_errors_exit():
        record = add_exception(ws, requirement=requirement, rationale=rationale, compensating_controls=controls,
                               approver=approver, expires_on=expires.date(),
                               approved_on=approved_on.date() if approved_on else None, rule_ids=rule or [],
                               evidence=evidence or [])
    typer.echo(record.id)


@app.command("list")
def list_(workspace: WorkspaceOption = None, lang: LangOption = Lang.ZH_TW,
          json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List exceptions; expired ones are marked and no longer count."""
    ws = open_ws(workspace)
    items = list_exceptions(ws)
    if json:
        emit(orjson.dumps([e.model_dump(mode="json") for e in items], option=orjson.OPT_INDENT_2) + b"\n", None)
        return
    zh = lang is Lang.ZH_TW
    table = Table("ID", "要求" if zh else "Req.", "理由" if zh else "Rationale", "補償措施" if zh else "Controls",
                  "核准人" if zh else "Approver", "到期" if zh else "Expires",
                  title=("例外" if zh else "Exceptions") + f" ({len(items)})")
    today = date.today()
    for e in items:
        expiry = e.expires_on.isoformat() + ("" if e.is_live(today) else (" (已過期)" if zh else " (expired)"))
        table.add_row(e.id[:8], e.requirement, e.rationale[:40], e.compensating_controls[:40], e.approver, expiry)
    Console(width=160).print(table)


@app.command("delete")
def delete(exception_id: str, workspace: WorkspaceOption = None) -> None:
    """Delete an exception by its id."""
    ws = open_ws(workspace)
    with input_errors_exit():
        delete_exception(ws, exception_id)
    stderr_console().print(f"deleted 已刪除 {exception_id}")
