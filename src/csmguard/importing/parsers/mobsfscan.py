"""mobsfscan JSON (``mobsfscan --json``): rules with the files and lines they matched. A rule listed without
files is a best practice the code does not follow (e.g. no certificate transparency): one item on the scanned
source as a whole. Its SARIF output (``--sarif``) is read by the SARIF reader with this tool's mapping."""

from __future__ import annotations

from typing import Any

from csmguard.domain import FindingStatus, Location, ScanError, Severity, Target
from csmguard.domain.finding import JsonValue
from csmguard.importing.model import ForeignItem, ParsedReport
from csmguard.importing.reading import describe_json, digest, first_line, not_format, short

EXPECTED = "a mobsfscan JSON report (an object with results and mobsfscan_version or errors)"
_SEVERITY = {"ERROR": (FindingStatus.FAIL, Severity.HIGH), "WARNING": (FindingStatus.FAIL, Severity.MEDIUM),
             "INFO": (FindingStatus.MANUAL, Severity.INFO)}


def looks_like(data: Any) -> bool:
    """Whether ``data`` has the shape of a mobsfscan JSON report."""
    return isinstance(data, dict) and isinstance(data.get("results"), dict) and (
        "mobsfscan_version" in data or "errors" in data)


def parse(data: Any, source: str) -> list[ParsedReport]:
    """Read a mobsfscan report; InputError naming ``source`` when it is not one."""
    if not looks_like(data):
        raise not_format(source, EXPECTED, describe_json(data))
    items: list[ForeignItem] = []
    whole = Target(kind="source", id=source)
    for rule, body in data["results"].items():
        if not isinstance(body, dict):
            continue
        meta = body.get("metadata") or {}
        status, severity = _SEVERITY.get(str(meta.get("severity") or "").upper(), (FindingStatus.MANUAL,
                                                                                    Severity.INFO))
        title = short(meta.get("description") or rule, 200)
        refs: dict[str, JsonValue] = {"cwe": str(meta.get("cwe") or ""), "masvs": str(meta.get("masvs") or "")}
        files = body.get("files") or []
        if not files:
            items.append(ForeignItem(rule=rule, status=status, severity=severity, title=title, message=title,
                                     target=whole, url=meta.get("reference"), evidence=refs))
        for match in files:
            path = str(match.get("file_path") or "")
            if not path:
                continue
            items.append(ForeignItem(
                rule=rule, status=status, severity=severity, title=title, message=f"{path}: {title}",
                target=Target(kind="file", id=path), url=meta.get("reference"), evidence=refs,
                location=Location(path=path, line=first_line(match.get("match_lines"))),
                key=digest(match.get("match_string") or match.get("match_position"))))
    problems = tuple(ScanError(target=source, path=str(e.get("path") or source) if isinstance(e, dict) else source,
                               message=short(e.get("error") if isinstance(e, dict) else e))
                     for e in data.get("errors") or [])
    return [ParsedReport(tool="mobsfscan", version=data.get("mobsfscan_version"), subject=f"source:{source}",
                         items=tuple(items), recognised={"mobsfscan-report": 1}, problems=problems)]
