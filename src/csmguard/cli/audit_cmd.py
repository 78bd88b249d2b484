"""``csmguard audit``: verify and export the web app's hash-chained audit trail."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from csmguard.cli.common import OutputOption, emit, guarded, stderr_console
from csmguard.cli.serve_cmd import WorkspaceOption
from csmguard.services import audit
from csmguard.store.db import session_scope
from csmguard.workspace import open_workspace

app = typer.Typer(help="The audit trail of every change made in the web app.", no_args_is_help=True)


class AuditFormat(StrEnum):
    """Export formats."""

    JSON = "json"
    CSV = "csv"


@app.command("verify")
def verify(workspace: WorkspaceOption = None) -> None:
    """Check the hash chain: exit 0 when intact, 1 naming each edited or deleted entry."""
    opened = guarded(lambda: open_workspace(workspace))
    with session_scope(opened.engine()) as db:
        count, problems = audit.verify(db)
    console = stderr_console()
    if not problems:
        console.print(f"稽核軌跡完整 audit trail intact: {count} entries")
        return
    for problem in problems:
        console.print(f"[bold red]{problem.kind}[/] at entry {problem.seq}: {problem.message}")
    raise typer.Exit(1)


@app.command("export")
def export(workspace: WorkspaceOption = None,
           fmt: Annotated[AuditFormat, typer.Option("--format", "-f", help="json or csv")] = AuditFormat.JSON,
           output: OutputOption = None) -> None:
    """Write the whole trail as JSON or CSV."""
    opened = guarded(lambda: open_workspace(workspace))
    with session_scope(opened.engine()) as db:
        body = audit.export_json(db) if fmt is AuditFormat.JSON else audit.export_csv(db)
    emit(body, output)
