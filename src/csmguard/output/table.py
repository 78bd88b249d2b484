"""A readable table of findings for the terminal."""

from __future__ import annotations

from typing import TextIO

from rich.console import Console
from rich.table import Table

from csmguard.domain import FindingStatus, Lang, ScanResult

_STATUS_STYLE = {
    FindingStatus.FAIL: "bold red",
    FindingStatus.PASS: "green",
    FindingStatus.MANUAL: "yellow",
    FindingStatus.ERROR: "magenta",
    FindingStatus.UNKNOWN: "yellow",
    FindingStatus.NOT_APPLICABLE: "dim",
}

_HEADERS = {
    Lang.ZH_TW: ("結果", "嚴重度", "規則", "條文", "說明", "位置"),
    Lang.EN: ("Status", "Severity", "Rule", "Requirements", "Message", "Location"),
}


def write_table(result: ScanResult, stream: TextIO, *, lang: Lang, show_passes: bool = False) -> None:
    """Print failing and undecided findings (passes only when asked), errors, and a summary line."""
    console = Console(file=stream, width=160, soft_wrap=False)
    headers = _HEADERS[lang]
    table = Table(*headers, show_lines=False, expand=False)
    shown = [f for f in result.findings if show_passes or f.status is not FindingStatus.PASS]
    order = {FindingStatus.FAIL: 0, FindingStatus.ERROR: 1, FindingStatus.UNKNOWN: 2, FindingStatus.MANUAL: 3}
    for f in sorted(shown, key=lambda f: (order.get(f.status, 9), -f.severity.rank, f.rule_id)):
        loc = f.location
        where = loc.path or loc.url or loc.resource or loc.device_id or loc.record or loc.host or f.target.id
        if loc.path and loc.line:
            where = f"{loc.path}:{loc.line}"
        elif loc.host and loc.port:
            where = f"{loc.host}:{loc.port}"
        table.add_row(f"[{_STATUS_STYLE[f.status]}]{f.status.label.get(lang)}[/]", f.severity.label.get(lang),
                      f.rule_id, " ".join(f.requirements), f.message.get(lang), where)
    if shown:
        console.print(table)
    for error in result.errors:
        label = "錯誤" if lang is Lang.ZH_TW else "error"
        console.print(f"[magenta]{label}[/]: {error.describe()}", highlight=False)
    counts = result.status_counts()
    if lang is Lang.ZH_TW:
        summary = (f"{result.scanner}：{len(result.targets)} 個目標，不符合 {counts['fail']}，符合 {counts['pass']}，"
                   f"待人工判斷 {counts['manual']}，無法判斷 {counts['unknown']}，錯誤 {len(result.errors)}")
    else:
        summary = (f"{result.scanner}: {len(result.targets)} target(s), {counts['fail']} failing, "
                   f"{counts['pass']} passing, {counts['manual']} manual, {counts['unknown']} unknown, "
                   f"{len(result.errors)} error(s)")
    console.print(summary, highlight=False)
