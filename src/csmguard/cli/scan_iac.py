"""``csmguard scan iac``: the infrastructure-as-code scanner on Terraform, plans, CloudFormation and Kubernetes,
and on exported live cloud configuration (AWS Config, aws CLI, Azure Resource Graph, Cloud Asset Inventory)."""

from __future__ import annotations

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
from csmguard.scanners.iac.facts import IacOptions
from csmguard.scanning.gate import FailOn
from csmguard.services.iac_scan import scan_iac as run_iac_scan


def scan_iac(
    targets: Annotated[list[Path], typer.Argument(
        help="Terraform folders, plan JSON, CloudFormation templates, Kubernetes manifests, exported cloud "
             "configuration (AWS Config, aws CLI, Azure Resource Graph, Cloud Asset Inventory JSON/NDJSON); several "
             "at once.")],
    fmt: FormatOption = OutputFormat.TABLE,
    output: OutputOption = None,
    fail_on: FailOnOption = FailOn.SHALL,
    baseline: BaselineOption = None,
    quiet: QuietOption = False,
    workspace: WorkspaceOption = None,
    lang: LangOption = Lang.ZH_TW,
    exclude: Annotated[list[str] | None, typer.Option(
        "--exclude", "-x", help="Glob of paths (relative to a target folder) to leave out, repeatable.")] = None,
    allowed_image_owner: Annotated[list[str] | None, typer.Option(
        "--allowed-image-owner", help="Trusted VM image owner: AWS account ID or alias (amazon), Azure publisher, "
                                      "GCP project; repeatable.")] = None,
    allowed_account: Annotated[list[str] | None, typer.Option(
        "--allowed-account", help="Account a snapshot or image may be shared with; repeatable.")] = None,
    all_disks_sensitive: Annotated[bool, typer.Option(
        "--all-disks-sensitive", help="Treat every disk as holding sensitive data (CSM-7.5); without it a disk's "
                                      "tags (data-classification, sensitivity …) say so and an untagged unencrypted "
                                      "disk is undecided.")] = False,
) -> None:
    """Scan infrastructure code or exported cloud configuration for articles 4.2, 5.3, 6.3 and 7: encryption,
    snapshot and image sharing, open ports, MFA, audit logs, TLS, image pinning, backups.
    基礎設施即程式碼與雲端組態匯出檢測（第四至七條）。"""
    options = IacOptions(allowed_image_owners=tuple(allowed_image_owner or ()),
                         allowed_accounts=tuple(allowed_account or ()), all_disks_sensitive=all_disks_sensitive)
    with input_errors_exit():
        result, rules = run_iac_scan(targets, options=options, excludes=tuple(exclude or ()),
                                     progress=progress_for(quiet, lang))
    unmapped = result.stats.get("export_unmapped_types") or {}
    if unmapped and not quiet:
        listed = ", ".join(f"{kind} ×{count}" for kind, count in sorted(unmapped.items()))
        note = (f"匯出之組態中有 {sum(unmapped.values())} 個項目未檢測"
                f"（無規則判斷其類型，或項目未含規則所需之組態）：{listed}"
                if lang is Lang.ZH_TW else
                f"{sum(unmapped.values())} exported item(s) not checked (types no rule judges, or items without the "
                f"configuration the rules read): {listed}")
        stderr_console().print(note, markup=False, highlight=False, soft_wrap=True)
    finish_scan(result, rules=rules, fmt=fmt, output=output, fail_on=fail_on, baseline=baseline, lang=lang,
                quiet=quiet, workspace=workspace)


def main() -> None:
    """``python -m csmguard.cli.scan_iac``: the same command without loading the rest of the CLI (a faster
    start in CI pipelines that only scan infrastructure code)."""
    typer.run(scan_iac)


if __name__ == "__main__":
    main()
