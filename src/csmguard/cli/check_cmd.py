"""``csmguard check``: run the register checks (REG-) over the workspace's registers."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer

from csmguard.catalog.loader import load_catalog
from csmguard.cli.common import LangOption, OutputOption, input_errors_exit
from csmguard.cli.init_cmd import WorkspaceOption, open_ws
from csmguard.cli.scan_common import BaselineOption, FailOnOption, FormatOption, QuietOption, finish_scan
from csmguard.domain import Lang
from csmguard.output import OutputFormat
from csmguard.rules.loader import load_rules
from csmguard.scanning.gate import FailOn
from csmguard.services.workspace import run_register_checks


def check(
    as_of: Annotated[datetime | None, typer.Option("--as-of", formats=["%Y-%m-%d"],
                                                   help="Judge dates as of this day (default: today).")] = None,
    save: Annotated[bool, typer.Option("--save/--no-save", help="Record the run as the latest register scan.")
                    ] = True,
    fmt: FormatOption = OutputFormat.TABLE,
    output: OutputOption = None,
    fail_on: FailOnOption = FailOn.SHALL,
    baseline: BaselineOption = None,
    lang: LangOption = Lang.ZH_TW,
    quiet: QuietOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Check the registers (REG- rules): overdue audits, missing SLA reports, late incident notices,
    deletion certificates, official accounts, policies, departed staff's devices, BYOD agreements, app releases."""
    ws = open_ws(workspace)
    with input_errors_exit():
        result = run_register_checks(ws, as_of.date() if as_of else None, record=save)
        rules = load_rules(load_catalog(ws.settings.edition), ["register"])
    ws.close()
    finish_scan(result, rules=rules, fmt=fmt, output=output, fail_on=fail_on, baseline=baseline, lang=lang,
                quiet=quiet)
