"""``csmguard scan policydoc``: required elements of social media, mobile device and BYOD documents."""

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
from csmguard.scanners.policydoc.facts import DocumentKind
from csmguard.scanning.gate import FailOn
from csmguard.services.policydoc_scan import load_policydoc_rules, scan_policydocs


def scan_policydoc_cmd(
    paths: Annotated[list[Path], typer.Argument(help="DOCX, PDF, Markdown or text files, or folders of them.")],
    kind: Annotated[DocumentKind | None, typer.Option(
        "--kind", help="The kind of document (default: detected from its title and text).")] = None,
    fmt: FormatOption = OutputFormat.TABLE,
    output: OutputOption = None,
    fail_on: FailOnOption = FailOn.SHALL,
    baseline: BaselineOption = None,
    quiet: QuietOption = False,
    workspace: WorkspaceOption = None,
    lang: LangOption = Lang.ZH_TW,
) -> None:
    """Report which elements the guideline requires are present (quoting the passage) or missing.

    檢查社群媒體使用政策、行動裝置規範與自攜裝置協議是否涵蓋指引要求之項目。
    """
    with input_errors_exit():
        rules = load_policydoc_rules()
    result = scan_policydocs(paths, rules, kind, progress_for(quiet, lang))
    finish_scan(result, rules=rules, fmt=fmt, output=output, fail_on=fail_on, baseline=baseline, lang=lang,
                quiet=quiet, workspace=workspace)
