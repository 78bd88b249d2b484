"""``csmguard schema finding|result``: print the JSON Schema of the JSON that the scans print."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import orjson
import typer

from csmguard.cli.common import OutputOption, emit
from csmguard.output.schema import SCHEMAS


class SchemaName(StrEnum):
    """The published schemas."""

    FINDING = "finding"
    RESULT = "result"


def schema(
    name: Annotated[SchemaName, typer.Argument(help="finding (one finding) or result (a whole scan result).")],
    output: OutputOption = None,
) -> None:
    """Print the JSON Schema of a finding or of a scan result. 輸出發現或掃描結果之 JSON Schema。"""
    emit(orjson.dumps(SCHEMAS[name.value](), option=orjson.OPT_INDENT_2).decode() + "\n", output)
