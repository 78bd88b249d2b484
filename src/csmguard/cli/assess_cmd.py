"""``csmguard assess``: assess the workspace, list and show saved assessments, and compare two."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

import orjson
import typer
from rich.console import Console
from rich.table import Table

from csmguard.assessment import AssessmentDiff, AssessmentResult, ComplianceStatus
from csmguard.assessment.model import STATUS_ORDER, RollUp
from csmguard.cli.common import LangOption, OutputOption, emit, input_errors_exit
from csmguard.cli.init_cmd import WorkspaceOption
from csmguard.dates import format_time
from csmguard.domain import Lang
from csmguard.services.assessment import diff_saved, load_assessment, run_assessment
from csmguard.services.workspace import list_assessments, list_scans
from csmguard.workspace import open_workspace

app = typer.Typer(help="Assess the workspace against the guideline. 符合性評估。", invoke_without_command=True)


class AssessFormat(StrEnum):
    """Output formats of ``assess``."""

    TABLE = "table"
    JSON = "json"


FormatOpt = Annotated[AssessFormat, typer.Option("--format", "-f", help="table or json.")]


def _parse_day(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from exc


@app.callback()
def assess(
    ctx: typer.Context,
    workspace: WorkspaceOption = None,
    today: Annotated[str | None, typer.Option("--today", help="Assess as of this day (YYYY-MM-DD); decides "
                                              "which attestations and exceptions have expired.")] = None,
    save: Annotated[bool, typer.Option("--save/--no-save", help="Save the assessment in the workspace.")] = True,
    checks: Annotated[bool, typer.Option("--register-checks/--no-register-checks",
                                         help="Run the register checks first (as of the same day).")] = True,
    fmt: FormatOpt = AssessFormat.TABLE,
    lang: LangOption = Lang.ZH_TW,
    output: OutputOption = None,
) -> None:
    """Assess every requirement from the workspace's findings, attestations and exceptions; print the
    status counts by chapter and save the assessment."""
    if ctx.invoked_subcommand is not None:
        return
    day = _parse_day(today)
    with input_errors_exit():
        ws = open_workspace(workspace)
        try:
            saved = run_assessment(ws, today=day, save=save, register_checks=checks)
        finally:
            ws.close()
    if fmt is AssessFormat.JSON:
        emit(orjson.dumps({"id": saved.id, "assessment": saved.result.model_dump(mode="json")},
                          option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS) + b"\n", output)
        return
    print_summary(saved.result, lang)
    if saved.id:
        Console(highlight=False).print(("已儲存評估 " if lang is Lang.ZH_TW else "Saved assessment ") + saved.id)


_SHORT_DOMAINS = {"general": ("總則", "General"), "cloud": ("雲端", "Cloud"),
                  "social_media": ("社群", "Social"), "mobile": ("行動", "Mobile")}


def chapter_label(result: AssessmentResult, rollup: RollUp, lang: Lang) -> str:
    """A short label of a chapter roll-up for narrow tables: "第2章 雲端" / "Ch. 2 Cloud" (the chapter's
    number and its domain); the roll-up's own title for the overall row or a chapter of several domains."""
    if not rollup.key.startswith("ch-"):
        return rollup.title.get(lang)
    number = int(rollup.key.removeprefix("ch-"))
    domains = {r.domain for r in result.requirements if r.chapter == number}
    if len(domains) != 1 or (domain := domains.pop()) not in _SHORT_DOMAINS:
        return rollup.title.get(lang)
    zh, en = _SHORT_DOMAINS[domain]
    return f"第{number}章 {zh}" if lang is Lang.ZH_TW else f"Ch. {number} {en}"


def _header(label: str) -> str:
    """A column header broken after its first word (or hyphen), so English headers take two short lines."""
    for sep in (" ", "-"):
        head, found, tail = label.partition(sep)
        if found:
            return f"{head}{sep.strip()}\n{tail}"
    return label


def summary_table(result: AssessmentResult, lang: Lang) -> Table:
    """Status counts, score and coverage per chapter and overall; fits a 100-column terminal (chapters
    are named by short labels, long headers wrap)."""
    zh = lang is Lang.ZH_TW
    table = Table(title=("評估結果（各章）" if zh else "Assessment by chapter") + f" — {result.assessed_on}")
    table.add_column("章" if zh else "Chapter", no_wrap=True)
    for status in STATUS_ORDER:
        table.add_column(_header(status.label.get(lang)), justify="right")
    table.add_column("分數" if zh else "Score", justify="right")
    table.add_column("涵蓋率" if zh else "Coverage", justify="right")
    for rollup in (*result.chapters, result.overall):
        table.add_row(chapter_label(result, rollup, lang), *(str(rollup.counts.get(s, 0)) for s in STATUS_ORDER),
                      "—" if rollup.score is None else f"{rollup.score:.1f}",
                      "—" if rollup.coverage is None else f"{rollup.coverage:.1f}%")
    return table


def print_summary(result: AssessmentResult, lang: Lang) -> None:
    """Print the chapter table and the non-compliant requirements."""
    console = Console(highlight=False)
    console.print(summary_table(result, lang))
    gaps = [r for r in result.requirements if r.status is ComplianceStatus.NON_COMPLIANT]
    if gaps:
        console.print("不符合：" if lang is Lang.ZH_TW else "Non-compliant:")
        for r in gaps:
            console.print(f"  {r.id} ({r.level.value}) {r.title.get(lang)} — {r.reasons[0].text.get(lang)}")
    if result.evidence_integrity:
        console.print("[bold red]佐證完整性：[/]" if lang is Lang.ZH_TW else "[bold red]Evidence integrity:[/]")
        for item in result.evidence_integrity:
            cited = ", ".join(item.requirements) or "—"
            console.print(f"  {item.sha256} {item.name or ''} — {item.problem.label.get(lang)} ({cited})",
                          markup=False)


@app.command("list")
def list_cmd(workspace: WorkspaceOption = None, lang: LangOption = Lang.ZH_TW) -> None:
    """List the saved assessments, newest first."""
    with input_errors_exit():
        ws = open_workspace(workspace)
        try:
            saved = list_assessments(ws)
        finally:
            ws.close()
    zh = lang is Lang.ZH_TW
    table = Table(title="已儲存之評估" if zh else "Saved assessments")
    for head in (("編號", "ID"), ("儲存時間", "Saved at"), ("評估基準日", "Assessed on"), ("分數", "Score")):
        table.add_column(head[0] if zh else head[1])
    for item in saved:
        score = item.summary.get("score")
        table.add_row(item.id, format_time(item.created_at),
                      str(item.summary.get("assessed_on", "")), "—" if score is None else f"{score:.1f}")
    Console(highlight=False).print(table)


@app.command("show")
def show(
    assessment: Annotated[str, typer.Argument(help="Id, unique prefix, 'latest' or 'previous'.")] = "latest",
    workspace: WorkspaceOption = None,
    fmt: FormatOpt = AssessFormat.TABLE,
    lang: LangOption = Lang.ZH_TW,
    output: OutputOption = None,
) -> None:
    """Show a saved assessment."""
    with input_errors_exit():
        ws = open_workspace(workspace)
        try:
            saved = load_assessment(ws, assessment)
        finally:
            ws.close()
    if fmt is AssessFormat.JSON:
        emit(orjson.dumps({"id": saved.id, "assessment": saved.result.model_dump(mode="json")},
                          option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS) + b"\n", output)
        return
    print_summary(saved.result, lang)


@app.command("diff")
def diff(
    older: Annotated[str, typer.Argument(help="The older assessment: id, prefix, 'previous' or 'latest'.")],
    newer: Annotated[str, typer.Argument(help="The newer assessment.")] = "latest",
    workspace: WorkspaceOption = None,
    fmt: FormatOpt = AssessFormat.TABLE,
    lang: LangOption = Lang.ZH_TW,
    output: OutputOption = None,
) -> None:
    """Show what changed per requirement between two saved assessments."""
    with input_errors_exit():
        ws = open_workspace(workspace)
        try:
            a_id, b_id, changes = diff_saved(ws, older, newer)
            labels = {scan["id"]: _scan_label(scan, lang) for scan in list_scans(ws)}
        finally:
            ws.close()
    if fmt is AssessFormat.JSON:
        emit(orjson.dumps({"older": a_id, "newer": b_id, **changes.model_dump(mode="json"), "scans": labels},
                          option=orjson.OPT_INDENT_2) + b"\n", output)
        return
    print_diff(a_id, b_id, changes, lang, labels)


def _scan_label(scan: dict[str, object], lang: Lang) -> str:
    """A recorded scan as a diff names it: short id, scanner, subject, and whether it was voided."""
    label = f"{str(scan['id'])[:8]} {scan['scanner']} {str(scan['subject'])[:40]}"
    if scan.get("state") == "failed":
        label += " (失敗)" if lang is Lang.ZH_TW else " (failed)"
    if scan.get("voided"):
        label += " (已作廢)" if lang is Lang.ZH_TW else " (voided)"
    return label


def print_diff(a_id: str, b_id: str, changes: AssessmentDiff, lang: Lang,
               scan_labels: dict[str, str] | None = None) -> None:
    """The differences as a table; ``scan_labels`` names the recorded scans a change rests on."""
    labels = scan_labels or {}
    zh = lang is Lang.ZH_TW
    console = Console(highlight=False)
    table = Table(title=(f"評估差異 {a_id[:8]}（{changes.a_on}）→ {b_id[:8]}（{changes.b_on}）" if zh
                         else f"Changes {a_id[:8]} ({changes.a_on}) → {b_id[:8]} ({changes.b_on})"))
    for head in (("條文", "Requirement"), ("原狀態", "Before"), ("新狀態", "After"), ("變動", "What changed")):
        table.add_column(head[0] if zh else head[1])
    for change in changes.changes:
        notes = []
        for label_zh, label_en, values in (("新發現", "new findings", change.new_findings),
                                           ("已解決", "resolved", change.resolved_findings),
                                           ("新增聲明", "attestations added", change.attestations_added),
                                           ("聲明失效", "attestations gone", change.attestations_removed),
                                           ("新增例外", "exceptions added", change.exceptions_added),
                                           ("例外失效", "exceptions gone", change.exceptions_removed)):
            if values:
                notes.append(f"{label_zh if zh else label_en}: " + ", ".join(v[:16] for v in values))
        for label_zh, label_en, values in (("依據掃描", "now resting on scans", change.scans_added),
                                           ("不再依據", "no longer resting on", change.scans_removed)):
            if values:
                notes.append(f"{label_zh if zh else label_en}: " + "; ".join(labels.get(v, v[:8]) for v in values))
        table.add_row(change.id, change.before.label.get(lang) if change.before else "—",
                      change.after.label.get(lang) if change.after else "—", "\n".join(notes))
    console.print(table)
    console.print(f"未變動 {changes.unchanged} 項" if zh else f"{changes.unchanged} unchanged")
    for score in changes.scores:
        before = "—" if score.before is None else f"{score.before:.1f}"
        after = "—" if score.after is None else f"{score.after:.1f}"
        if before != after:
            console.print(f"  {score.key}: {before} → {after}")
