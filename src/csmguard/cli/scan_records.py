"""``csmguard scan list`` and ``csmguard scan void``: the scans recorded in a workspace, and excluding one
from every later assessment (with the reason, in the audit trail)."""

from __future__ import annotations

import getpass
from typing import Annotated

import orjson
import typer
from rich.console import Console
from rich.table import Table

from csmguard.cli.common import LangOption, emit, input_errors_exit
from csmguard.cli.init_cmd import WorkspaceOption, open_ws
from csmguard.dates import format_time
from csmguard.domain import Lang, text
from csmguard.services.records import list_scans, void_scan

_STATE = {
    "complete": text("完整", "complete"),
    "partial": text("部分（僅採計已涵蓋者）", "partial (counts only what it covered)"),
    "failed": text("失敗（不採計）", "failed (counts for nothing)"),
}
_VOIDED = text("已作廢", "voided")


def list_scans_cmd(workspace: WorkspaceOption = None, lang: LangOption = Lang.ZH_TW,
                   json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """List the recorded scans, newest first: state (complete, partial, failed), finding counts, voided.
    列出已記錄之掃描。"""
    ws = open_ws(workspace)
    scans = list_scans(ws)
    if json:
        emit(orjson.dumps(scans, option=orjson.OPT_INDENT_2) + b"\n", None)
        return
    zh = lang is Lang.ZH_TW
    table = Table("ID", "掃描器" if zh else "scanner", "對象" if zh else "subject", "記錄時間" if zh else "recorded",
                  "狀態" if zh else "state", "未通過／通過" if zh else "fail/pass", "錯誤" if zh else "errors",
                  title=f"{'已記錄之掃描' if zh else 'Recorded scans'} ({len(scans)})")
    for scan in scans:
        state = _STATE.get(scan["state"], text(scan["state"], scan["state"])).get(lang)
        if scan["voided"]:
            state = f"{_VOIDED.get(lang)}: {scan['voided']['reason']} ({scan['voided']['by']})"
        counts = scan["status_counts"]
        table.add_row(scan["id"][:8], scan["scanner"], scan["subject"][:60],
                      format_time(scan["recorded_at"]), state, f"{counts['fail']}/{counts['pass']}",
                      str(scan["errors"]))
    Console(width=180).print(table)


def void_cmd(scan_id: Annotated[str, typer.Argument(help="Scan ID (or a unique prefix of 8+ characters).")],
             reason: Annotated[str, typer.Option("--reason", "-r", help="Why the scan must not count (required).")],
             by: Annotated[str | None, typer.Option("--by", help="Who voids it (default: the OS user).")] = None,
             workspace: WorkspaceOption = None, lang: LangOption = Lang.ZH_TW) -> None:
    """Exclude a recorded scan from every later assessment; the findings it had resolved count again, and the
    audit trail records who, when and why. 作廢已記錄之掃描。"""
    ws = open_ws(workspace)
    with input_errors_exit():
        voided = void_scan(ws, scan_id, reason=reason, actor=by or getpass.getuser())
    message = text(f"已作廢掃描 {voided['id']}（{voided['scanner']}，{voided['subject']}）：{voided['reason']}",
                   f"Voided scan {voided['id']} ({voided['scanner']}, {voided['subject']}): {voided['reason']}")
    typer.echo(message.get(lang))
