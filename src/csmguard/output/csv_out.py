"""One CSV row per finding, for spreadsheets."""

from __future__ import annotations

import json
from typing import TextIO

from csmguard.cells import SafeCsvWriter
from csmguard.domain import Lang, ScanResult

CSV_COLUMNS = ("rule_id", "status", "severity", "level", "requirements", "title", "message", "target",
               "path", "line", "url", "host", "port", "resource", "device_id", "record", "evidence",
               "fingerprint", "observed_at")


def write_csv(result: ScanResult, stream: TextIO, *, lang: Lang) -> None:
    """Write one row per finding with titles and messages in ``lang`` (no cell can become a formula)."""
    writer = SafeCsvWriter(stream)
    writer.writerow(CSV_COLUMNS)
    for f in result.findings:
        loc = f.location
        writer.writerow([
            f.rule_id, f.status.value, f.severity.value, f.level.value if f.level else "",
            " ".join(f.requirements), f.title.get(lang), f.message.get(lang), f.target.id,
            loc.path or "", loc.line or "", loc.url or "", loc.host or "", loc.port or "", loc.resource or "",
            loc.device_id or "", loc.record or "", json.dumps(f.evidence, ensure_ascii=False),
            f.fingerprint, f.observed_at.isoformat(),
        ])
