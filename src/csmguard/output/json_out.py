"""The scan-result JSON of the design."""

from __future__ import annotations

from typing import TextIO

import orjson

from csmguard.domain import ScanResult


def write_json(result: ScanResult, stream: TextIO) -> None:
    """Write the result as indented UTF-8 JSON (CJK kept readable, not escaped)."""
    stream.write(orjson.dumps(result.to_json_dict(), option=orjson.OPT_INDENT_2).decode("utf-8"))
    stream.write("\n")
