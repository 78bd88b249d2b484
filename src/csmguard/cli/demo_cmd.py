"""``csmguard demo``: build the example firm's workspace, run the checks, assess and write every report."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from csmguard.cli.assess_cmd import summary_table
from csmguard.cli.common import LangOption, input_errors_exit, stderr_console
from csmguard.domain import Lang
from csmguard.services.demo import DEFAULT_DIR, build_demo

_STEPS = {
    "workspace": ("建立工作區", "creating the workspace"),
    "evidence": ("存入佐證檔案", "storing evidence files"),
    "registers": ("填寫清冊", "filling the registers"),
    "policy": ("確認公司政策設定與採行之良好實務", "confirming firm-policy settings and adopted good practices"),
    "attestations": ("記錄聲明與例外", "recording attestations and exceptions"),
    "checks": ("執行檢查", "running the checks"),
    "assessment": ("評估", "assessing"),
    "reports": ("產製報告", "writing the reports"),
}


def demo(
    folder: Annotated[Path, typer.Option("--dir", "-d", file_okay=False,
                                         help="Where to build the demo workspace (replaced if it is an earlier "
                                         "demo).")] = DEFAULT_DIR,
    today: Annotated[str | None, typer.Option("--today", help="Run the demo as of this day (YYYY-MM-DD).")] = None,
    lang: LangOption = Lang.ZH_TW,
) -> None:
    """Build a workspace for the fictional 範例證券股份有限公司, run every available check, assess it and
    write the HTML, PDF, XLSX, JSON and OSCAL reports."""
    try:
        day = date.fromisoformat(today) if today else None
    except ValueError as exc:
        raise typer.BadParameter(f"{today!r} is not a date (YYYY-MM-DD)") from exc
    err = stderr_console()
    zh = lang is Lang.ZH_TW

    def step(name: str) -> None:
        err.print(f"[dim]… {_STEPS[name][0 if zh else 1]}[/]")

    with input_errors_exit():
        run = build_demo(folder, today=day, lang=lang, step=step)
    console = Console(highlight=False)
    console.print(("工作區：" if zh else "Workspace: ") + str(run.root))
    if run.kept_accounts:
        names = ", ".join(run.kept_accounts)
        console.print(f"保留先前示範工作區之網頁帳號：{names}（請重新登入）" if zh
                      else f"Kept the web accounts of the earlier demo workspace: {names} (log in again)")
    words = ("清冊紀錄", "佐證檔案", "聲明", "例外") if zh else \
        ("register records", "evidence files", "attestations", "exceptions")
    counts = (run.records, run.evidence, run.attestations, run.exceptions)
    console.print(" · ".join(f"{w} {n}" for w, n in zip(words, counts, strict=True)))
    for scan in run.scans:
        mark = "✓" if scan.ran else "–"
        console.print(f"  {mark} {scan.scanner}: {scan.detail}")
    console.print(summary_table(run.assessment.result, lang))
    console.print("報告：" if zh else "Reports:")
    for path in run.reports.values():
        console.print(f"  {path}")
