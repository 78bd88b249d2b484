"""GitLab SAST report (``gl-sast-report.json``, report format 15.0.x), so that failing findings show in merge
requests and the vulnerability report. Only failing findings are vulnerabilities; each names its rule, the
requirements it bears on, and (for imported findings) the tool that found it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, TextIO

import orjson

from csmguard import __version__
from csmguard.domain import Finding, FindingStatus, Lang, ScanResult, Severity

REPORT_VERSION = "15.0.7"
SCHEMA_URL = ("https://gitlab.com/gitlab-org/security-products/security-report-schemas/-/raw/"
              f"v{REPORT_VERSION}/dist/sast-report-format.json")
_SEVERITY = {Severity.CRITICAL: "Critical", Severity.HIGH: "High", Severity.MEDIUM: "Medium",
             Severity.LOW: "Low", Severity.INFO: "Info"}
_TOOL = {"id": "csmguard", "name": "CSM Guard", "vendor": {"name": "CSM Guard"}, "version": __version__}


def _time(value: datetime | None) -> str:
    return (value or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


def _vulnerability(finding: Finding, lang: Lang) -> dict[str, Any]:
    loc = finding.location
    identifiers = [{"type": "csmguard_rule", "name": finding.rule_id, "value": finding.rule_id}]
    identifiers += [{"type": "csm_requirement", "name": req, "value": req} for req in finding.requirements]
    if finding.provenance is not None:
        foreign = {"type": finding.provenance.tool.lower().replace(" ", "_"), "name": finding.provenance.rule_id,
                   "value": finding.provenance.rule_id}
        identifiers.append({**foreign, "url": finding.provenance.url} if finding.provenance.url else foreign)
    location: dict[str, Any] = {"file": loc.path or finding.target.id}
    if loc.line:
        location["start_line"] = loc.line
        location["end_line"] = loc.end_line or loc.line
    return {
        "id": finding.fingerprint,
        "category": "sast",
        "name": finding.title.get(lang)[:255],
        "description": finding.message.get(lang),
        "severity": _SEVERITY[finding.severity],
        "identifiers": identifiers,
        "location": location,
    }


def gitlab_sast_document(result: ScanResult, *, lang: Lang) -> dict[str, Any]:
    """The GitLab SAST report of ``result`` as a dict."""
    return {
        "schema": SCHEMA_URL,
        "version": REPORT_VERSION,
        "scan": {"analyzer": _TOOL, "scanner": _TOOL, "type": "sast", "start_time": _time(result.started_at),
                 "end_time": _time(result.finished_at), "status": "failure" if result.errors else "success",
                 "messages": [{"level": "warn", "value": e.describe()} for e in result.errors]},
        "vulnerabilities": [_vulnerability(f, lang) for f in result.findings if f.status is FindingStatus.FAIL],
    }


def write_gitlab_sast(result: ScanResult, stream: TextIO, *, lang: Lang) -> None:
    """Write ``result`` as a GitLab SAST report."""
    stream.write(orjson.dumps(gitlab_sast_document(result, lang=lang), option=orjson.OPT_INDENT_2).decode())
    stream.write("\n")
