"""Writers that render a scan result as table, JSON, SARIF, CSV, JUnit XML or a GitLab SAST report."""

from __future__ import annotations

from enum import StrEnum
from typing import TextIO

from csmguard.domain import Lang, ScanResult
from csmguard.output.csv_out import write_csv
from csmguard.output.gitlab import write_gitlab_sast
from csmguard.output.json_out import write_json
from csmguard.output.junit import write_junit
from csmguard.output.sarif import write_sarif
from csmguard.output.table import write_table
from csmguard.rules.loader import RuleSet


class OutputFormat(StrEnum):
    """The formats every ``csmguard scan`` command can print."""

    TABLE = "table"
    JSON = "json"
    SARIF = "sarif"
    CSV = "csv"
    JUNIT = "junit"
    GITLAB_SAST = "gitlab-sast"


def write_result(result: ScanResult, fmt: OutputFormat, stream: TextIO, *, lang: Lang, rules: RuleSet) -> None:
    """Render ``result`` in ``fmt`` to ``stream``; ``rules`` supply SARIF rule metadata."""
    if fmt is OutputFormat.JSON:
        write_json(result, stream)
    elif fmt is OutputFormat.SARIF:
        write_sarif(result, stream, lang=lang, rules=rules)
    elif fmt is OutputFormat.CSV:
        write_csv(result, stream, lang=lang)
    elif fmt is OutputFormat.JUNIT:
        write_junit(result, stream, lang=lang)
    elif fmt is OutputFormat.GITLAB_SAST:
        write_gitlab_sast(result, stream, lang=lang)
    else:
        write_table(result, stream, lang=lang)


__all__ = ["OutputFormat", "write_result"]
