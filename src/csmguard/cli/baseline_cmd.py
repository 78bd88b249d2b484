"""``csmguard baseline``: accept the current failing findings of a scan, with a reason, an owner and an expiry."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from csmguard.cli.common import OutputOption, emit, input_errors_exit, stderr_console
from csmguard.domain.errors import input_error_from_validation
from csmguard.scanning.suppressions import baseline_from_result, dump_suppressions, read_scan_result


def baseline(
    result_file: Annotated[Path, typer.Argument(help="A scan result written by `csmguard scan … --format json`.",
                                                dir_okay=False, metavar="RESULT.json")],
    reason: Annotated[str, typer.Option("--reason", help="Why these findings are accepted.")],
    owner: Annotated[str, typer.Option("--owner", help="Who answers for them.")],
    expires: Annotated[datetime, typer.Option("--expires", formats=["%Y-%m-%d"],
                                              help="YYYY-MM-DD; after it the suppressions stop working.")],
    output: OutputOption = None,
) -> None:
    """Write a baseline (suppression file for `--baseline`) that accepts every failing finding of a scan.
    建立抑制清單：接受掃描結果中目前所有不符合項目（需附理由、負責人與到期日）。"""
    with input_errors_exit():
        result = read_scan_result(result_file)
        try:
            written = baseline_from_result(result, reason=reason, owner=owner, expires=expires.date())
        except ValidationError as exc:
            raise input_error_from_validation("--reason/--owner", exc) from exc
    emit(dump_suppressions(written), output)
    stderr_console().print(f"{len(written.suppressions)} suppression(s) until {expires.date()}")
