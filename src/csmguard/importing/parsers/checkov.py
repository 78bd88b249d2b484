"""Checkov JSON (``checkov -o json``): one object per framework (terraform, cloudformation, kubernetes …) or a
list of them, with passed, failed and skipped checks. Passed checks cover their resource; skipped checks (the
user suppressed them in the code) are counted in the notes, never turned into passes; parsing errors make the
import partial. Checkov's SARIF output is read by the SARIF reader with this tool's mapping."""

from __future__ import annotations

from typing import Any

from csmguard.domain import FindingStatus, Location, ScanError, Target
from csmguard.importing.model import ForeignItem, ParsedReport, severity_of
from csmguard.importing.reading import describe_json, not_format, short

EXPECTED = "a Checkov JSON report (an object with check_type and results, or a list of them)"
_EMPTY_SUMMARY = {"passed", "failed", "skipped", "parsing_errors", "resource_count", "checkov_version"}


def looks_like(data: Any) -> bool:
    """Whether ``data`` has the shape of a Checkov JSON report."""
    if isinstance(data, list):
        return bool(data) and all(looks_like(part) for part in data)
    if not isinstance(data, dict):
        return False
    return ("check_type" in data and isinstance(data.get("results"), dict)) or set(data) == _EMPTY_SUMMARY or (
        set(data) >= {"passed", "failed", "checkov_version"})


def _item(check: dict[str, Any], status: FindingStatus, framework: str) -> ForeignItem | None:
    rule = check.get("check_id")
    resource = str(check.get("resource") or "")
    path = str(check.get("repo_file_path") or check.get("file_path") or "").lstrip("/")
    if not rule or not (resource or path):
        return None
    lines = check.get("file_line_range") or []
    title = short(check.get("check_name") or rule, 200)
    return ForeignItem(
        rule=str(rule), status=status, severity=severity_of(check.get("severity")), title=title,
        message=f"{resource or path}: {title}",
        target=Target(kind="iac-resource", id=resource, name=resource.split(".")[0]) if resource
        else Target(kind="file", id=path),
        location=Location(path=path or None, line=lines[0] if lines and isinstance(lines[0], int) and lines[0] >= 1
                          else None, resource=resource or None),
        url=check.get("guideline"), evidence={"framework": framework}, key=str(check.get("bc_check_id") or ""))


def parse(data: Any, source: str) -> list[ParsedReport]:
    """Read a Checkov report; InputError naming ``source`` when it is not one."""
    if not looks_like(data):
        raise not_format(source, EXPECTED, describe_json(data))
    parts = data if isinstance(data, list) else [data]
    items: list[ForeignItem] = []
    problems: list[ScanError] = []
    skipped = 0
    version: str | None = None
    frameworks: dict[str, int] = {}
    for part in parts:
        version = version or (part.get("summary") or {}).get("checkov_version") or part.get("checkov_version")
        framework = str(part.get("check_type") or "none")
        results = part.get("results") or {}
        for status, key in ((FindingStatus.FAIL, "failed_checks"), (FindingStatus.PASS, "passed_checks")):
            for check in results.get(key) or []:
                item = _item(check, status, framework) if isinstance(check, dict) else None
                if item is not None:
                    items.append(item)
        skipped += len(results.get("skipped_checks") or [])
        for path in results.get("parsing_errors") or []:
            problems.append(ScanError(target=source, path=str(path), message="Checkov could not parse this file"))
        if part.get("check_type"):
            frameworks[f"checkov-{framework}"] = int((part.get("summary") or {}).get("resource_count") or 0)
    notes = (f"Checkov skipped (suppressed in code) checks, not imported: {skipped}",) if skipped else ()
    return [ParsedReport(tool="checkov", version=version, subject=f"iac:{source}", items=tuple(items),
                         recognised={"checkov-report": 1, **frameworks}, problems=tuple(problems), notes=notes)]

