"""``csmguard evidence``: keep files in the content-addressed evidence store, list, read and verify them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import orjson
import typer
from rich.console import Console
from rich.table import Table

from csmguard.cli.common import LangOption, OutputOption, emit, input_errors_exit, stderr_console
from csmguard.cli.init_cmd import WorkspaceOption, open_ws
from csmguard.domain import Lang
from csmguard.services.workspace import add_evidence, list_evidence, read_evidence, verify_evidence

app = typer.Typer(help="Evidence files, kept by SHA-256 and verified on read. 佐證檔案。", no_args_is_help=True)


@app.command("add")
def add(files: Annotated[list[Path], typer.Argument(help="Files to keep.", dir_okay=False)],
        workspace: WorkspaceOption = None) -> None:
    """Keep files in the evidence store; prints each file's SHA-256."""
    ws = open_ws(workspace)
    with input_errors_exit():
        for file in files:
            ref = add_evidence(ws, file)
            typer.echo(f"{ref.sha256}  {ref.name}")


@app.command("list")
def list_(workspace: WorkspaceOption = None, lang: LangOption = Lang.ZH_TW,
          json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """List the registered evidence files. 列出佐證檔案。"""
    ws = open_ws(workspace)
    refs = list_evidence(ws)
    if json:
        emit(orjson.dumps([r.model_dump() for r in refs], option=orjson.OPT_INDENT_2) + b"\n", None)
        return
    zh = lang is Lang.ZH_TW
    table = Table("SHA-256", "名稱" if zh else "name", "大小（位元組）" if zh else "size", "類型" if zh else "type",
                  title=f"{'佐證檔案' if zh else 'evidence'} ({len(refs)})")
    for ref in refs:
        table.add_row(ref.sha256, ref.name, str(ref.size), ref.media_type or "")
    Console(width=160).print(table)


@app.command("cat")
def cat(sha256: Annotated[str, typer.Argument(help="SHA-256 (or a unique prefix of 8+ digits).")],
        output: OutputOption = None, workspace: WorkspaceOption = None) -> None:
    """Write a stored file after verifying its hash (exit 2 if it was altered or is missing)."""
    ws = open_ws(workspace)
    with input_errors_exit():
        emit(read_evidence(ws, sha256), output)


@app.command("verify")
def verify(workspace: WorkspaceOption = None, lang: LangOption = Lang.ZH_TW) -> None:
    """Re-hash every stored file; report files altered, missing or unregistered (exit 1 if any)."""
    ws = open_ws(workspace)
    problems = verify_evidence(ws)
    console = stderr_console()
    for problem in problems:
        console.print(f"[bold red]{problem.kind}[/] {problem.message.get(lang)}", highlight=False)
    total = len(list_evidence(ws))
    if problems:
        console.print(f"{len(problems)} 個問題 problem(s) / {total} 檔案 file(s)")
        raise typer.Exit(1)
    console.print(("佐證檔案皆完整：" if lang is Lang.ZH_TW else "Every evidence file is intact: ") + str(total))
