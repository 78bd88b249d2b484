"""``csmguard scan app``: the mobile app scanner on APK, AAB, IPA files and source trees."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from csmguard.cli.common import LangOption, OutputOption, input_errors_exit
from csmguard.cli.scan_common import (
    BaselineOption,
    FailOnOption,
    FormatOption,
    QuietOption,
    WorkspaceOption,
    finish_scan,
    progress_for,
)
from csmguard.domain import Lang
from csmguard.output import OutputFormat
from csmguard.scanners.app.scan import AppScanOptions
from csmguard.scanning.gate import FailOn
from csmguard.services.app_scan import scan_app as run_app_scan


def scan_app(
    targets: Annotated[list[Path] | None, typer.Argument(
        help="APK, AAB or IPA files and source folders (several at once).")] = None,
    fmt: FormatOption = OutputFormat.TABLE,
    output: OutputOption = None,
    fail_on: FailOnOption = FailOn.SHALL,
    baseline: BaselineOption = None,
    quiet: QuietOption = False,
    workspace: WorkspaceOption = None,
    release: Annotated[str | None, typer.Option(
        "--release", help="APP_ID@VERSION: record the scan (with --workspace) as this release's pre-release scan "
                          "in the app-releases register (CSM-17.1).")] = None,
    lang: LangOption = Lang.ZH_TW,
    exclude: Annotated[list[str] | None, typer.Option(
        "--exclude", "-x", help="Glob of source paths to leave out (repeatable), e.g. 'app/src/test/*'.")] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=0,
                                      help="Worker processes for source trees of 400+ files "
                                           "(1 = none, 0 = one per CPU).")] = 1,
    explain: Annotated[str | None, typer.Option(
        "--explain", metavar="RULE", help="Print a rule's rationale, examples and remediation (in --lang) and "
                                          "exit; scans nothing.")] = None,
) -> None:
    """Scan mobile apps for articles 14.4, 16 and 17: secrets, cleartext, weak crypto, WebView, manifest, malware
    signs. 行動應用程式檢測（第十四、十六、十七條）。"""
    if explain is not None:
        explain_rule(explain, lang)
        return
    if not targets:
        typer.echo("請指定至少一個目標 / give at least one target (or --explain RULE)", err=True)
        raise typer.Exit(2)
    options = AppScanOptions(excludes=tuple(exclude or ()), jobs=jobs)
    with input_errors_exit():
        result, rules = run_app_scan(targets, options=options, progress=progress_for(quiet, lang))
    finish_scan(result, rules=rules, fmt=fmt, output=output, fail_on=fail_on, baseline=baseline, lang=lang,
                quiet=quiet, workspace=workspace, release=release)


def explain_rule(rule_id: str, lang: Lang) -> None:
    """Print the explanation of one app rule; exit 2 naming the known IDs when there is no such rule."""
    from csmguard.output.explain import explain
    from csmguard.services.app_scan import load_app_rules

    rules = {r.id: r for r in load_app_rules().for_scanner("app")}
    rule = rules.get(rule_id.strip().upper())
    if rule is None:
        typer.echo(f"沒有規則 / no app rule {rule_id!r}; known: {', '.join(sorted(rules))}", err=True)
        raise typer.Exit(2)
    typer.echo(explain(rule, lang), nl=False)
