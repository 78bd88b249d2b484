"""``csmguard scan messages``: unmasked personal data in SMS / push templates and logs (CSM-16.2)."""

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
from csmguard.scanners.messages.config import load_settings
from csmguard.scanning.gate import FailOn
from csmguard.services.messages_scan import MessagesOptions, load_messages_rules, scan_messages


def scan_messages_cmd(
    paths: Annotated[list[Path], typer.Argument(help="Message files or folders: text, CSV, JSON, JSON lines.")],
    input_format: Annotated[str | None, typer.Option(
        "--input-format", help="Read every file as text, csv, json or jsonl (default: from the suffix).")] = None,
    column: Annotated[list[str] | None, typer.Option(
        "--column", help="CSV column holding the message text (repeatable; default: message, body …).")] = None,
    field: Annotated[list[str] | None, typer.Option(
        "--field", help="JSON field holding the text, dotted for nested (repeatable; e.g. notification.body).")] = None,
    settings: Annotated[Path | None, typer.Option(
        "--settings", help="YAML file overriding keywords and account-number patterns.", dir_okay=False)] = None,
    fmt: FormatOption = OutputFormat.TABLE,
    output: OutputOption = None,
    fail_on: FailOnOption = FailOn.SHALL,
    baseline: BaselineOption = None,
    quiet: QuietOption = False,
    workspace: WorkspaceOption = None,
    lang: LangOption = Lang.ZH_TW,
) -> None:
    """Find national IDs, phone numbers, e-mails, cards, accounts, passwords and one-time codes left unmasked.

    檢查簡訊／推播範本與紀錄中未遮蔽的個人資料（第16條第2項）。
    """
    if input_format is not None and input_format not in {"text", "csv", "json", "jsonl"}:
        raise typer.BadParameter("use text, csv, json or jsonl", param_hint="--input-format")
    with input_errors_exit():
        options = MessagesOptions(format=input_format, columns=tuple(column or ()), fields=tuple(field or ()),
                                  settings=load_settings(settings))
        rules = load_messages_rules()
    result = scan_messages(paths, rules, options, progress_for(quiet, lang))
    finish_scan(result, rules=rules, fmt=fmt, output=output, fail_on=fail_on, baseline=baseline, lang=lang,
                quiet=quiet, workspace=workspace)
