"""gitleaks JSON (``gitleaks detect|dir|git --report-format json``), version 8 (RuleID, File, StartLine …) and
version 7 (rule, file, lineNumber, offender). gitleaks lists leaks only: an empty list is a report that found
none. The secret itself is never kept: it is redacted unless gitleaks already did (``--redact``)."""

from __future__ import annotations

from typing import Any

from csmguard.domain import FindingStatus, Location, Severity, Target
from csmguard.importing.model import ForeignItem, ParsedReport
from csmguard.importing.reading import describe_json, digest, masked, not_format, short

EXPECTED = "a gitleaks JSON report (a list of leaks with RuleID and File, or rule and file for gitleaks 7)"
DOC_URL = "https://github.com/gitleaks/gitleaks#rules"


def _is_leak(row: Any) -> bool:
    return isinstance(row, dict) and (("RuleID" in row and "File" in row) or ("rule" in row and "file" in row))


def looks_like(data: Any) -> bool:
    """Whether ``data`` is a non-empty gitleaks report (an empty list could be any tool's)."""
    return isinstance(data, list) and bool(data) and all(_is_leak(row) for row in data)


def parse(data: Any, source: str) -> list[ParsedReport]:
    """Read a gitleaks report; InputError naming ``source`` when it is not one."""
    if not (isinstance(data, list) and all(_is_leak(row) for row in data)):
        raise not_format(source, EXPECTED, describe_json(data))
    items: list[ForeignItem] = []
    for row in data:
        v8 = "RuleID" in row
        rule = str(row["RuleID"] if v8 else row["rule"])
        path = str(row["File"] if v8 else row["file"])
        line = row.get("StartLine") if v8 else row.get("lineNumber")
        secret = row.get("Secret") if v8 else row.get("offender")
        commit = str(row.get("Commit") if v8 else row.get("commit") or "")
        title = short(row.get("Description") or rule, 200) if v8 else rule
        items.append(ForeignItem(
            rule=rule, status=FindingStatus.FAIL, severity=Severity.HIGH, title=title,
            message=f"{path}: {title}" + (f" (commit {commit[:12]})" if commit else ""),
            target=Target(kind="file", id=path),
            location=Location(path=path, line=line if isinstance(line, int) and line >= 1 else None),
            url=DOC_URL, evidence={"secret": masked(secret)[:200], "commit": commit},
            key=digest(commit, secret, row.get("Fingerprint") or line), aliases=("secret",)))
    return [ParsedReport(tool="gitleaks", version=None, subject=f"source:{source}", items=tuple(items),
                         recognised={"gitleaks-report": 1})]
