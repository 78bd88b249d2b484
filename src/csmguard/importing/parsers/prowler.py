"""Prowler output: OCSF JSON (``-M json-ocsf``, Prowler 4 and 5) and CSV (``-M csv``, semicolon-separated).
PASS covers its resource, FAIL fails it, MANUAL asks a person; muted findings are counted in the notes."""

from __future__ import annotations

import csv
import io
from typing import Any

from csmguard.domain import FindingStatus, Location, Target
from csmguard.importing.model import ForeignItem, ParsedReport, severity_of
from csmguard.importing.reading import describe_json, not_format, short, status_word

EXPECTED_OCSF = "a Prowler OCSF JSON report (a list of findings with metadata.event_code and status_code)"
EXPECTED_CSV = "a Prowler CSV report (semicolon-separated, with CHECK_ID, STATUS and RESOURCE_UID columns)"
CSV_COLUMNS = {"CHECK_ID", "STATUS", "RESOURCE_UID"}


def looks_like(data: Any) -> bool:
    """Whether ``data`` has the shape of Prowler OCSF JSON (a non-empty list of its findings)."""
    return isinstance(data, list) and bool(data) and all(
        isinstance(row, dict) and isinstance(row.get("metadata"), dict) and "event_code" in row["metadata"]
        and "status_code" in row for row in data)


def _item(check: str, status: FindingStatus, severity: str, title: str, message: str, uid: str, name: str,
          region: str, url: str | None) -> ForeignItem:
    return ForeignItem(rule=check, status=status, severity=severity_of(severity), title=short(title, 200),
                       message=short(message), target=Target(kind="cloud-resource", id=uid, name=name or None),
                       location=Location(resource=uid), url=url or None,
                       evidence={"region": region} if region else {}, key=check)


def parse(data: Any, source: str) -> list[ParsedReport]:
    """Read Prowler OCSF JSON; InputError naming ``source`` when it is not that."""
    if not looks_like(data):
        raise not_format(source, EXPECTED_OCSF, describe_json(data))
    items: list[ForeignItem] = []
    muted = 0
    version = None
    accounts: set[str] = set()
    for row in data:
        meta = row["metadata"]
        version = version or (meta.get("product") or {}).get("version")
        status = status_word(row.get("status_code"))
        if status is None or str(row.get("status") or "").lower() == "suppressed" or row.get("muted"):
            muted += 1
            continue
        cloud = row.get("cloud") or {}
        account = str((cloud.get("account") or {}).get("uid") or "")
        accounts.add(f"{cloud.get('provider') or 'cloud'}:{account}")
        info = row.get("finding_info") or {}
        for res in row.get("resources") or [{}]:
            uid = str(res.get("uid") or res.get("name") or account or "unknown")
            items.append(_item(str(meta["event_code"]), status, str(row.get("severity") or ""),
                               str(info.get("title") or meta["event_code"]),
                               str(row.get("status_detail") or row.get("message") or ""), uid,
                               str(res.get("name") or ""), str(res.get("region") or ""),
                               (row.get("unmapped") or {}).get("related_url")))
    notes = (f"Prowler muted findings, not imported: {muted}",) if muted else ()
    return [ParsedReport(tool="prowler", version=version, subject=f"cloud:{','.join(sorted(accounts)) or source}",
                         items=tuple(items), recognised={"prowler-finding": len(data)}, notes=notes)]


def parse_csv(content: bytes, source: str) -> list[ParsedReport]:
    """Read Prowler CSV; InputError naming ``source`` when it is not that."""
    try:
        decoded = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise not_format(source, EXPECTED_CSV, "a file that is not UTF-8 text") from exc
    reader = csv.DictReader(io.StringIO(decoded), delimiter=";")
    header = set(reader.fieldnames or ())
    if not header >= CSV_COLUMNS:
        raise not_format(source, EXPECTED_CSV, f"columns {', '.join(sorted(header))[:200] or 'none'}")
    items: list[ForeignItem] = []
    muted = rows = 0
    version = None
    accounts: set[str] = set()
    for row in reader:
        rows += 1
        version = version or row.get("PROWLER_VERSION") or None
        status = status_word(row.get("STATUS"))
        if status is None or str(row.get("MUTED") or "").lower() == "true":
            muted += 1
            continue
        accounts.add(f"{row.get('PROVIDER') or 'cloud'}:{row.get('ACCOUNT_UID') or ''}")
        uid = str(row.get("RESOURCE_UID") or row.get("RESOURCE_NAME") or row.get("ACCOUNT_UID") or "unknown")
        items.append(_item(str(row["CHECK_ID"]), status, str(row.get("SEVERITY") or ""),
                           str(row.get("CHECK_TITLE") or row["CHECK_ID"]), str(row.get("STATUS_EXTENDED") or ""),
                           uid, str(row.get("RESOURCE_NAME") or ""), str(row.get("REGION") or ""),
                           row.get("RELATED_URL")))
    if rows == 0:
        raise not_format(source, EXPECTED_CSV, "a header without any finding row")
    notes = (f"Prowler muted findings, not imported: {muted}",) if muted else ()
    return [ParsedReport(tool="prowler", version=version, subject=f"cloud:{','.join(sorted(accounts)) or source}",
                         items=tuple(items), recognised={"prowler-finding": rows}, notes=notes)]
