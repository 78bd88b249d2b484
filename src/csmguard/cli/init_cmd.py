"""``csmguard init``: create a workspace; and the ``--workspace`` option the workspace commands share."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from csmguard.cli.common import LangOption, input_errors_exit, stderr_console
from csmguard.domain import Lang
from csmguard.workspace import SETTINGS_FILE, Workspace, init_workspace, open_workspace

WorkspaceOption = Annotated[
    Path | None,
    typer.Option("--workspace", "-w", help="The workspace folder (default: $CSMGUARD_WORKSPACE or the current "
                                           "folder).", file_okay=False),
]


def open_ws(workspace: Path | None) -> Workspace:
    """Open the workspace named by ``--workspace`` (or the default); bad input exits with code 2."""
    with input_errors_exit():
        return open_workspace(workspace)
    raise AssertionError("unreachable")  # pragma: no cover


def init(
    directory: Annotated[Path, typer.Argument(help="The folder of the new workspace (created if missing).",
                                              file_okay=False)] = Path("."),
    db_url: Annotated[str | None, typer.Option("--db-url", help="Database URL (default: SQLite csmguard.db in "
                                                                "the workspace; e.g. postgresql+psycopg://…).")
                      ] = None,
    lang: LangOption = Lang.ZH_TW,
) -> None:
    """Create a workspace: csmguard.toml (settings), the database with every migration, and evidence/."""
    with input_errors_exit():
        ws = init_workspace(directory, db_url=db_url)
    zh = lang is Lang.ZH_TW
    console = stderr_console()
    console.print(("已建立工作區 " if zh else "Created workspace ") + str(ws.root))
    console.print(f"  {SETTINGS_FILE}: {ws.root / SETTINGS_FILE}")
    console.print(("  資料庫 database: " if zh else "  database: ") + ws.settings.db_url)
    console.print(("  佐證庫 evidence: " if zh else "  evidence: ") + str(ws.evidence_dir))
    ws.close()
