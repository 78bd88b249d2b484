"""``csmguard scan fleet``: judge an MDM device fleet against articles 14 and 15 (rules DEV-…)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from csmguard.cli.common import LangOption, OutputOption, input_errors_exit, stderr_console
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
from csmguard.scanners.fleet.detect import InputFormat
from csmguard.scanners.fleet.report import CsvDeviceSink, DeviceSink, XlsxDeviceSink
from csmguard.scanning.gate import FailOn
from csmguard.services.fleet_scan import FleetScanOptions
from csmguard.services.fleet_scan import scan_fleet as run_fleet_scan

FileOpt = Annotated[Path | None, typer.Option(dir_okay=False)]


def scan_fleet(
    paths: Annotated[list[Path], typer.Argument(help="MDM exports (files or folders): Intune Graph JSON / JSON lines "
                                                     "/ CSV, Intune policy JSON, Jamf, Workspace ONE, Google, "
                                                     "generic CSV.")],
    format_in: Annotated[InputFormat, typer.Option("--format-in", help="Force the input format.")] = InputFormat.AUTO,
    policies: Annotated[list[Path] | None, typer.Option("--policies", dir_okay=False,
                                                        help="Intune compliance/configuration policy JSON "
                                                             "(also detected among PATHS).")] = None,
    baseline_file: Annotated[Path | None, typer.Option("--baseline-file", dir_okay=False,
                                                       help="Baseline YAML merged over the defaults.")] = None,
    staff_changes: Annotated[Path | None, typer.Option("--staff-changes", dir_okay=False,
                                                       help="Staff changes CSV (user, change_type, "
                                                            "effective_date, new_department); wins over the "
                                                            "workspace register.")] = None,
    byod_agreements: Annotated[Path | None, typer.Option("--byod-agreements", dir_okay=False,
                                                         help="BYOD agreements CSV (user, device_serial, signed_on, "
                                                              "expires_on, last_reviewed_on, permitted_data_types, "
                                                              "purposes, status); wins over the workspace "
                                                              "register.")] = None,
    group_members: Annotated[Path | None, typer.Option("--group-members", dir_okay=False,
                                                       help="Group members CSV (group_id, member).")] = None,
    target_pass_rate: Annotated[float, typer.Option("--target-pass-rate", min=0.0, max=1.0,
                                                    help="Fleet pass rate a rule needs.")] = 0.95,
    include_passes: Annotated[bool, typer.Option("--include-passes", help="Emit passing device findings too.")]
    = False,
    max_device_findings: Annotated[int, typer.Option("--max-device-findings", min=0,
                                                     help="Cap on per-device findings (the device tables stay "
                                                          "complete).")] = 20_000,
    devices_csv: Annotated[Path | None, typer.Option("--devices-csv", dir_okay=False,
                                                     help="Write per-device results as CSV.")] = None,
    devices_xlsx: Annotated[Path | None, typer.Option("--devices-xlsx", dir_okay=False,
                                                      help="Write per-device results as XLSX.")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Judge as of this date (YYYY-MM-DD); default today "
                                                              "(UTC).")] = None,
    workers: Annotated[int, typer.Option("--workers", min=0, help="Processes for large exports without device "
                                                                  "tables (0: up to 2).")] = 0,
    fmt: FormatOption = OutputFormat.TABLE,
    output: OutputOption = None,
    fail_on: FailOnOption = FailOn.SHALL,
    baseline: BaselineOption = None,
    quiet: QuietOption = False,
    lang: LangOption = Lang.ZH_TW,
    workspace: WorkspaceOption = None,
) -> None:
    """Judge MDM device exports against articles 14 and 15 (DEV rules): per device and for the fleet; with
    --workspace, also read its staff-changes, byod-agreements and devices registers and record the scan.
    依第 14、15 條檢查行動裝置。"""
    try:
        day = date.fromisoformat(as_of) if as_of else None
    except ValueError as exc:
        raise typer.BadParameter(f"expected YYYY-MM-DD, got {as_of!r}", param_hint="--as-of") from exc
    options = FleetScanOptions(
        paths=tuple(paths), format_in=format_in, policy_paths=tuple(policies or ()), baseline_file=baseline_file,
        staff_changes=staff_changes, byod_agreements=byod_agreements, group_members=group_members,
        target_pass_rate=target_pass_rate, include_passes=include_passes, max_device_findings=max_device_findings,
        as_of=day, workers=workers, workspace=workspace,
    )
    with input_errors_exit():
        from csmguard.services.fleet_scan import load_fleet_rules

        loaded = load_fleet_rules()
        rules = tuple(loaded.for_scanner("fleet"))
        sinks: list[DeviceSink] = []
        if devices_csv is not None:
            sinks.append(CsvDeviceSink(devices_csv, rules, lang))
        xlsx = XlsxDeviceSink(devices_xlsx, rules, lang) if devices_xlsx is not None else None
        if xlsx is not None:
            sinks.append(xlsx)
        try:
            result, ruleset = run_fleet_scan(options, progress=progress_for(quiet, lang), sinks=sinks, ruleset=loaded)
        finally:
            for sink in sinks:
                sink.close()
    if xlsx is not None and xlsx.overflow and not quiet:
        stderr_console().print(f"[yellow]XLSX holds at most 1,048,575 devices; {xlsx.overflow} more are only in "
                               "the CSV / XLSX 列數上限[/]")
    if not quiet:
        s = result.stats
        stderr_console().print(f"fleet: read {s['records_read']} = evaluated {s['evaluated']} + rejected "
                               f"{s['rejected']}; failing fleet rules: {', '.join(s['fleet_failing_rules']) or '-'}")
    finish_scan(result, rules=ruleset, fmt=fmt, output=output, fail_on=fail_on, baseline=baseline, lang=lang,
                quiet=quiet, workspace=workspace)
