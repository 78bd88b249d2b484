"""``csmguard import findings``: findings of MobSF, mobsfscan, Checkov, Prowler, Trivy, gitleaks, Security Hub
(ASFF) and any SARIF 2.1.0, mapped to the guideline and recorded as scans."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import orjson
import typer

from csmguard.cli.common import LangOption, OutputOption, emit, input_errors_exit, stderr_console
from csmguard.domain import Lang
from csmguard.importing.convert import unmapped_line
from csmguard.importing.detect import TOOL_CHOICES
from csmguard.scanning.gate import EXIT_INPUT, FailOn, exit_code

app = typer.Typer(help="Import findings of other tools, mapped to the guideline. 匯入其他工具之檢測結果。",
                  no_args_is_help=True)


def _summary(item: Any, lang: Lang) -> list[str]:
    info = item.result.stats["import"]
    counts = item.result.status_counts()
    zh = lang is Lang.ZH_TW
    version = f" {info['tool_version']}" if info.get("tool_version") else ""
    head = f"{info['file']}: {info['tool']}{version} ({info['format']}), "
    if zh:
        head += (f"讀取 {info['verdicts_read']} 項判定；對應發現 {info['mapped_findings']} 項"
                 f"（未通過 {counts['fail']}、待人工 {counts['manual']}、通過 {counts['pass']}）；"
                 f"部分涵蓋之通過 {info['passes_as_coverage']} 項僅計入涵蓋範圍")
    else:
        head += (f"{info['verdicts_read']} verdicts read; {info['mapped_findings']} mapped findings "
                 f"(fail {counts['fail']}, manual {counts['manual']}, pass {counts['pass']}); "
                 f"{info['passes_as_coverage']} passes of partly testing rules kept as coverage only")
    lines = [head]
    unmapped = unmapped_line(item.result)
    if unmapped:
        lines.append("  " + (unmapped[0] if zh else unmapped[1]))
    lines += [f"  {note}" for note in info.get("notes", [])]
    lines += [f"  {'錯誤' if zh else 'error'}: {error.describe()}" for error in item.result.errors[:20]]
    if item.scan_id:
        lines.append(f"  {'已記錄為掃描' if zh else 'recorded as scan'} {item.scan_id} ({item.subject})")
    if item.release_note:
        lines.append(f"  {item.release_note}")
    return lines


@app.command("findings")
def findings(
    files: Annotated[list[Path], typer.Argument(help="Report files (JSON, SARIF; Prowler also CSV).",
                                                dir_okay=False)],
    tool: Annotated[str, typer.Option("--tool", "-t", help=f"Report format: {', '.join(TOOL_CHOICES)}.")] = "auto",
    workspace: Annotated[Path | None, typer.Option(
        "--workspace", "-w", help="Record each report as a scan in this workspace (default: $CSMGUARD_WORKSPACE; "
                                  "without one the mapping is only shown).", envvar="CSMGUARD_WORKSPACE",
        file_okay=False)] = None,
    mapping: Annotated[Path | None, typer.Option(
        "--mapping", help="Your own mapping file (same format as csmguard/mappings/<tool>.yaml, same family), "
                          "added to the bundled one.", dir_okay=False)] = None,
    release: Annotated[str | None, typer.Option(
        "--release", help="APP_ID@VERSION: keep the report as this app release's evidence (CSM-17.2 vendor "
                          "evidence when the apps register says the source is not available).")] = None,
    subject: Annotated[str | None, typer.Option(
        "--subject", help="What the report is about, to match re-imports (default: taken from the report).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the results as a JSON list.")] = False,
    fail_on: Annotated[FailOn, typer.Option("--fail-on", help="Exit 1 when a failing imported finding bears on "
                                                              "this level or stronger.")] = FailOn.NEVER,
    output: OutputOption = None,
    lang: LangOption = Lang.ZH_TW,
) -> None:
    """Map other tools' findings to the guideline's clauses and record them. 將其他工具之發現對應至指引條文並記錄。"""
    from csmguard.services.import_findings import import_findings, read_findings

    with input_errors_exit():
        if tool not in TOOL_CHOICES:
            raise typer.BadParameter(f"{tool!r}; use one of {', '.join(TOOL_CHOICES)}", param_hint="--tool")
        if workspace is None:
            if release is not None:
                stderr_console().print("[bold red]錯誤 error[/]: --release needs --workspace")
                raise typer.Exit(EXIT_INPUT)
            items = read_findings(files, tool=tool, mapping_file=mapping)
        else:
            from csmguard.services.workspace import open_workspace

            items = import_findings(open_workspace(workspace), files, tool=tool, mapping_file=mapping,
                                    release=release, subject=subject)
    if as_json:
        emit(orjson.dumps([{**i.result.to_json_dict(), "scan_id": i.scan_id, "subject": i.subject}
                           for i in items], option=orjson.OPT_INDENT_2).decode() + "\n", output)
    else:
        emit("\n".join(line for item in items for line in _summary(item, lang)) + "\n", output)
    codes = [exit_code(item.result, fail_on) for item in items]
    raise typer.Exit(1 if 1 in codes else 2 if 2 in codes else 0)
