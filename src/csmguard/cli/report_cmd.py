"""``csmguard report``: write a saved assessment as HTML, PDF, XLSX, JSON or OSCAL assessment-results."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from csmguard.cli.common import LangOption, emit, input_errors_exit, stderr_console
from csmguard.cli.init_cmd import WorkspaceOption
from csmguard.dates import DateStyle
from csmguard.domain import Lang
from csmguard.reports import ReportFormat
from csmguard.services.reports import workspace_report
from csmguard.workspace import open_workspace


def report(
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help="html, pdf, xlsx, json or oscal.")] =
    ReportFormat.HTML,
    lang: LangOption = Lang.ZH_TW,
    output: Annotated[Path | None, typer.Option("--output", "-o", dir_okay=False,
                                                help="Write to this file (needed for pdf and xlsx on a "
                                                "terminal).")] = None,
    assessment: Annotated[str, typer.Option("--assessment", "-a", help="Saved assessment: id, prefix, "
                                            "'latest' or 'previous'.")] = "latest",
    date_style: Annotated[DateStyle, typer.Option("--date-style", help="Dates as iso (2026-12-08) or roc "
                                                  "(民國115年12月8日); times are Asia/Taipei.")] = DateStyle.ISO,
    workspace: WorkspaceOption = None,
) -> None:
    """Write the report of a saved assessment (run 'csmguard assess' first); zh-TW by default."""
    if output is None and fmt in (ReportFormat.PDF, ReportFormat.XLSX) and typer.get_text_stream("stdout").isatty():
        stderr_console().print("[bold red]錯誤 error[/]: use -o FILE for a binary report")
        raise typer.Exit(2)
    with input_errors_exit():
        ws = open_workspace(workspace)
        try:
            content = workspace_report(ws, fmt, lang, assessment, date_style=date_style)
        finally:
            ws.close()
    emit(content, output)
    if output is not None:
        stderr_console().print(str(output))
