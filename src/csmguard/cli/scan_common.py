"""What every ``csmguard scan …`` command shares: options, progress on stderr, suppressions, output, exit code."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from csmguard.cli.common import emit, input_errors_exit, stderr_console
from csmguard.domain import Lang, ScanResult, text
from csmguard.domain.coverage import ScanState
from csmguard.output import OutputFormat, write_result
from csmguard.rules.loader import RuleSet
from csmguard.scanning.gate import EXIT_INPUT, EXIT_OK, FailOn, exit_code, failing_count
from csmguard.scanning.progress import NoProgress, phase_label
from csmguard.scanning.progress import Progress as ProgressSink
from csmguard.scanning.sniff import nothing_recognised
from csmguard.scanning.suppressions import load_suppressions, suppress_result

FormatOption = Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")]
FailOnOption = Annotated[
    FailOn,
    typer.Option("--fail-on", help="Exit 1 when a failing finding bears on a requirement of this level or "
                                   "stronger; 'never' only reports."),
]
BaselineOption = Annotated[
    Path | None,
    typer.Option("--baseline", help="Suppression file: accepted findings by fingerprint, with reason, owner, expiry.",
                 dir_okay=False),
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress or summary on standard error.")]
WorkspaceOption = Annotated[
    Path | None,
    typer.Option("--workspace", "-w", help="Record the scan in this workspace (its findings then count in "
                                           "`csmguard assess`); default: none, or $CSMGUARD_WORKSPACE.",
                 envvar="CSMGUARD_WORKSPACE", file_okay=False),
]


_SUMMARY = text("{scanner}：未通過 {fail}、通過 {passed}、待人工確認 {manual}、無法判定 {unknown}、錯誤 {errors}；"
               "達 --fail-on {fail_on} 門檻者 {gating} 項 → 結束代碼 {code}",
               "{scanner}: fail {fail}, pass {passed}, manual {manual}, unknown {unknown}, errors {errors}; "
               "{gating} at or above --fail-on {fail_on} → exit {code}")
_NOTHING_READ = text("無法讀取任何輸入，未進行任何檢測（見下列錯誤）",
                     "no input could be read, so nothing was checked (see the errors below)")
_RECORDED = text("已記錄於工作區", "Recorded in workspace")
_RECORDED_FAILED = text("已記錄為失敗之掃描（不採計任何發現，亦不解除任何發現）於工作區",
                        "Recorded as a failed scan (it contributes and resolves nothing) in workspace")


class RichProgress:
    """Progress bars on standard error."""

    def __init__(self, lang: Lang = Lang.ZH_TW) -> None:
        self._lang = lang
        self._progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                                  MofNCompleteColumn(), TimeElapsedColumn(), console=stderr_console(),
                                  transient=True)
        self._task: TaskID | None = None

    def start(self, label: str, total: int | None = None) -> None:
        """Show a new bar."""
        if self._task is None:
            self._progress.start()
        else:
            self._progress.remove_task(self._task)
        self._task = self._progress.add_task(phase_label(label, self._lang), total=total)

    def advance(self, amount: int = 1) -> None:
        """Move the bar on."""
        if self._task is not None:
            self._progress.advance(self._task, amount)

    def finish(self) -> None:
        """Remove the bars."""
        if self._task is not None:
            self._progress.stop()
            self._task = None


def _report_failed(result: ScanResult, lang: Lang) -> None:
    """Say on stderr that the scan recognised nothing of its kind (never as "0 findings"), and why."""
    console = stderr_console()
    found = dict(result.effective_coverage().found)
    headline = nothing_recognised(result.scanner, found).get(lang) if found else _NOTHING_READ.get(lang)
    console.print(f"[bold red]{'錯誤' if lang is Lang.ZH_TW else 'error'}[/]: ", end="")
    console.print(headline, markup=False, highlight=False, soft_wrap=True)
    for error in result.errors[:20]:
        console.print(f"  {error.describe()}", markup=False, highlight=False, soft_wrap=True)


def progress_for(quiet: bool, lang: Lang = Lang.ZH_TW) -> ProgressSink:
    """Progress bars (phases named in ``lang``) unless ``quiet``."""
    return NoProgress() if quiet else RichProgress(lang)


def finish_scan(
    result: ScanResult,
    *,
    rules: RuleSet,
    fmt: OutputFormat,
    output: Path | None,
    fail_on: FailOn,
    baseline: Path | None,
    lang: Lang,
    quiet: bool,
    workspace: Path | None = None,
    subject: str | None = None,
    release: str | None = None,
    recordable: Callable[[ScanResult], ScanResult] | None = None,
) -> None:
    """Apply the baseline, write the result, record it in ``workspace`` when given (``subject`` names what
    it is evidence for; ``release``, APP_ID@VERSION, makes it that app release's pre-release scan, passed
    when the gate lets it through; ``recordable`` picks what is recorded of the result shown), print
    a summary on stderr, and exit with the gate's code."""
    if baseline is not None:
        with input_errors_exit():
            suppressions = load_suppressions(baseline)
        result = suppress_result(result, suppressions, date.today())
        for expired in result.stats.get("expired_suppressions", []):
            stderr_console().print(
                f"[yellow]suppression expired 抑制已過期[/]: {expired['fingerprint']} ({expired['rule_id']}, "
                f"{expired['owner']}, {expired['expired']})")
    code = exit_code(result, fail_on)
    failed = result.state is ScanState.FAILED
    if release is not None and workspace is None:
        stderr_console().print("[bold red]錯誤 error[/]: --release needs --workspace (the apps register is there)")
        raise typer.Exit(EXIT_INPUT)
    if workspace is not None:
        # Imported here: the database layer costs a second of start-up that a scan without a
        # workspace (the common case in CI) should not pay.
        from csmguard.services.app_release import record_release_scan
        from csmguard.services.workspace import open_workspace, record_scan

        with input_errors_exit():
            ws = open_workspace(workspace)
            if release is not None and not failed:
                scan_id = record_release_scan(ws, result, release, passed=code == EXIT_OK)
            else:
                scan_id = record_scan(ws, result if recordable is None else recordable(result), subject=subject)
        if not quiet:
            recorded = _RECORDED_FAILED if failed else _RECORDED
            stderr_console().print(f"{recorded.get(lang)} {workspace}: scan {scan_id}")
    buffer = io.StringIO()
    write_result(result, fmt, buffer, lang=lang, rules=rules)
    emit(buffer.getvalue(), output)
    if failed:
        _report_failed(result, lang)
        raise typer.Exit(EXIT_INPUT)
    if not quiet and (output is not None or fmt is not OutputFormat.TABLE):
        counts = result.status_counts()
        summary = _SUMMARY.format(scanner=result.scanner, fail=counts["fail"], passed=counts["pass"],
                                  manual=counts["manual"], unknown=counts["unknown"], errors=len(result.errors),
                                  gating=failing_count(result, fail_on), fail_on=fail_on.value, code=code)
        stderr_console().print(summary.get(lang), markup=False, highlight=False)
    raise typer.Exit(code)
