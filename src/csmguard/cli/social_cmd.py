"""``csmguard social check``: the official social media accounts against CSM-11.3 and 11.4."""

from __future__ import annotations

from pathlib import Path
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
from csmguard.services.social import DEFAULT_REVIEW_WITHIN_DAYS, recordable, social_check

app = typer.Typer(help="Official social media accounts (CSM-11). 官方社群媒體帳號。", no_args_is_help=True)


@app.command("check")
def check(
    workspace: WorkspaceOption = None,
    profile_pages: Annotated[Path | None, typer.Option(
        "--profile-pages", help="Folder of saved profile pages: <platform>/<handle>.html (or .htm, .txt, .md).",
        file_okay=False)] = None,
    org_name: Annotated[list[str] | None, typer.Option(
        "--org-name", help="A name the pages must show (repeatable); the workspace's organization name is added.")
    ] = None,
    review_within_days: Annotated[int, typer.Option(
        "--review-within-days", min=1, help="Days a privacy-policy change may wait for review.")
    ] = DEFAULT_REVIEW_WITHIN_DAYS,
    record: Annotated[bool, typer.Option("--record/--no-record", help="Record the result in the workspace.")] = True,
    fmt: FormatOption = OutputFormat.TABLE,
    output: OutputOption = None,
    fail_on: FailOnOption = FailOn.SHALL,
    baseline: BaselineOption = None,
    quiet: QuietOption = False,
    lang: LangOption = Lang.ZH_TW,
) -> None:
    """Check every official account: name and contact on its saved page, named administrators with roles,
    MFA, content approval, privacy-policy changes reviewed in time, and the register's own claims."""
    with input_errors_exit():
        ws = open_ws(workspace)
        result = social_check(ws, profile_pages=profile_pages, org_names=tuple(org_name or ()),
                              review_within_days=review_within_days)
        rules = load_rules(load_catalog(ws.settings.edition), ["social", "register"])
    finish_scan(result, rules=rules, fmt=fmt, output=output, fail_on=fail_on, baseline=baseline, lang=lang,
                quiet=quiet, workspace=ws.root if record else None, subject="social-accounts",
                recordable=recordable)
