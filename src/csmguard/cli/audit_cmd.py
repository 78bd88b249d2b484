"""``csmguard audit``: verify and export the web app's hash-chained audit trail."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from csmguard.cli.common import OutputOption, emit, guarded, input_errors_exit, stderr_console
from csmguard.cli.serve_cmd import WorkspaceOption
from csmguard.services import audit
from csmguard.store.db import session_scope
from csmguard.workspace import open_workspace

app = typer.Typer(help="The audit trail of every change (web app and command line). 稽核軌跡。", no_args_is_help=True)
SHOWN = 20


class AuditFormat(StrEnum):
    """Export formats."""

    JSON = "json"
    CSV = "csv"


@app.command("verify")
def verify(workspace: WorkspaceOption = None) -> None:
    """Check the hash chain, the HMAC of every entry and the signed checkpoints kept outside the database:
    exit 0 when intact, 1 naming the first bad or missing entry (then every other problem)."""
    opened = guarded(lambda: open_workspace(workspace))
    with input_errors_exit(), session_scope(opened.engine()) as db:
        count, problems = audit.verify(db)
    console = stderr_console()
    if not problems:
        console.print(f"稽核軌跡完整 audit trail intact: {count} entries")
        return
    first = problems[0]
    console.print(f"[bold red]稽核軌跡遭竄改 audit trail broken[/]: first problem at entry {first.seq} "
                  f"({first.kind}); {len(problems)} problem(s) in {count} entries")
    for problem in problems[:SHOWN]:
        console.print(f"[bold red]{problem.kind}[/] at entry {problem.seq}: {problem.message}")
    if len(problems) > SHOWN:
        console.print(f"… and {len(problems) - SHOWN} more problem(s)")
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
