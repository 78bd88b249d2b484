"""A readable table of findings for the terminal."""

from __future__ import annotations

from typing import TextIO

from rich.console import Console
from rich.table import Table

from csmguard.domain import Finding, FindingStatus, Lang, ScanResult

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


_BY_METHOD = {Lang.ZH_TW: "程式碼發現（依類別與方法）", Lang.EN: "Findings in code, by class and method"}
_ORDER = {FindingStatus.FAIL: 0, FindingStatus.ERROR: 1, FindingStatus.UNKNOWN: 2, FindingStatus.MANUAL: 3}


def _symbol(f: Finding) -> str | None:
    cls, method = f.evidence.get("class"), f.evidence.get("method")
    return f"{cls}.{method}" if isinstance(cls, str) and isinstance(method, str) and cls and method else None


def _by_method(findings: list[Finding], lang: Lang) -> Table:
    """Findings located in a class and method, one group per (file, class.method), lines in order."""
    headers = _HEADERS[lang]
    table = Table(*headers[:5], "行" if lang is Lang.ZH_TW else "Line", title=_BY_METHOD[lang], expand=False)
    groups: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        groups.setdefault((f.location.path or "", _symbol(f) or ""), []).append(f)
    for (path, symbol), items in sorted(groups.items()):
        if table.row_count:
            table.add_section()
        table.add_row("", "", "", "", f"[bold]{symbol}[/] ({path})", "")
        for f in sorted(items, key=lambda f: (f.location.line or 0, f.rule_id)):
            table.add_row(f"[{_STATUS_STYLE[f.status]}]{f.status.value}[/]", f.severity.value, f.rule_id,
                          " ".join(f.requirements), f.message.get(lang), str(f.location.line or "-"))
    return table


def write_table(result: ScanResult, stream: TextIO, *, lang: Lang, show_passes: bool = False) -> None:
    """Print failing and undecided findings (passes only when asked), errors, and a summary line. Findings
    located in a class and method (the app scanner's program-model checks) are grouped by them."""
    console = Console(file=stream, width=160, soft_wrap=False)
    headers = _HEADERS[lang]
    table = Table(*headers, show_lines=False, expand=False)
    shown = [f for f in result.findings if show_passes or f.status is not FindingStatus.PASS]
    in_code = [f for f in shown if _symbol(f) is not None]
    shown = [f for f in shown if _symbol(f) is None]
    for f in sorted(shown, key=lambda f: (_ORDER.get(f.status, 9), -f.severity.rank, f.rule_id)):
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
    if in_code:
        console.print(_by_method(in_code, lang))
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
