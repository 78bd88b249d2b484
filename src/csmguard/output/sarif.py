"""SARIF 2.1.0 output: the same rule IDs, with requirement IDs and MASVS/CWE tags in properties."""

from __future__ import annotations

from typing import Any, TextIO

import orjson

from csmguard import __version__
from csmguard.domain import Finding, FindingStatus, Lang, ScanResult, Severity
from csmguard.rules.loader import RuleSet
from csmguard.rules.model import Rule

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"

_KIND = {
    FindingStatus.FAIL: "fail",
    FindingStatus.PASS: "pass",
    FindingStatus.MANUAL: "review",
    FindingStatus.NOT_APPLICABLE: "notApplicable",
    FindingStatus.UNKNOWN: "open",
    FindingStatus.ERROR: "open",
}
_LEVEL = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}
# GitHub code scanning ranks results by this 0-10 score.
_SECURITY_SEVERITY = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "7.5",
    Severity.MEDIUM: "5.0",
    Severity.LOW: "3.0",
    Severity.INFO: "0.0",
}


def sarif_document(result: ScanResult, *, lang: Lang, rules: RuleSet) -> dict[str, Any]:
    """Build the SARIF log for ``result`` as a dict."""
    used = sorted({f.rule_id for f in result.findings})
    known = rules.by_id()
    descriptors = [_descriptor(known[rule_id], lang) if rule_id in known else {"id": rule_id} for rule_id in used]
    index = {rule_id: i for i, rule_id in enumerate(used)}
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "csmguard",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": descriptors,
            }},
            "invocations": [{
                "executionSuccessful": not result.errors,
                "toolExecutionNotifications": [
                    {"level": "error", "message": {"text": error.describe()}} for error in result.errors
                ],
            }],
            "results": [_result(f, index[f.rule_id], lang) for f in result.findings],
            "properties": {"scanner": result.scanner, "targets": list(result.targets)},
        }],
    }


def write_sarif(result: ScanResult, stream: TextIO, *, lang: Lang, rules: RuleSet) -> None:
    """Write ``result`` as SARIF 2.1.0 JSON."""
    stream.write(orjson.dumps(sarif_document(result, lang=lang, rules=rules), option=orjson.OPT_INDENT_2).decode())
    stream.write("\n")


def _descriptor(rule: Rule, lang: Lang) -> dict[str, Any]:
    tags = ["security", *rule.requirements, *rule.references.masvs, *rule.references.cwe]
    return {
        "id": rule.id,
        "name": rule.id.replace("-", ""),
        "shortDescription": {"text": rule.title.get(lang)},
        "fullDescription": {"text": rule.rationale.get(lang)},
        "help": {"text": rule.remediation.get(lang)},
        "defaultConfiguration": {"level": _LEVEL[rule.severity]},
        "properties": {
            "tags": tags,
            "requirements": list(rule.requirements),
            "requirement-level": rule.level.value if rule.level else None,
            "security-severity": _SECURITY_SEVERITY[rule.severity],
            "masvs": list(rule.references.masvs),
            "cwe": list(rule.references.cwe),
        },
    }


def _symbol(finding: Finding) -> str | None:
    """``class.method`` of a finding located in code (app scanner program-model findings)."""
    cls, method = finding.evidence.get("class"), finding.evidence.get("method")
    if isinstance(cls, str) and isinstance(method, str) and cls and method:
        return f"{cls}.{method}"
    return None


def _code_flow(finding: Finding, sink: dict[str, Any]) -> dict[str, Any] | None:
    """A SARIF ``codeFlow`` for a source→sink finding: its evidence ``flow`` (steps from the source, each a
    line and a label) followed by the sink itself."""
    steps = finding.evidence.get("flow")
    if not isinstance(steps, list) or not steps:
        return None
    uri = sink["artifactLocation"]["uri"]
    locations: list[dict[str, Any]] = []
    for step in steps:
        if not isinstance(step, dict):
            continue
        physical: dict[str, Any] = {"artifactLocation": {"uri": uri}}
        line = step.get("line")
        if isinstance(line, int) and line > 0:
            physical["region"] = {"startLine": line}
        locations.append({"location": {"physicalLocation": physical,
                                       "message": {"text": str(step.get("label", ""))}}})
    locations.append({"location": {"physicalLocation": sink, "message": {"text": "sink"}}})
    return {"threadFlows": [{"locations": locations}]}


def _result(finding: Finding, rule_index: int, lang: Lang) -> dict[str, Any]:
    loc = finding.location
    out: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index,
        "kind": _KIND[finding.status],
        "level": _LEVEL[finding.severity] if finding.status is FindingStatus.FAIL else "none",
        "message": {"text": finding.message.get(lang)},
        "partialFingerprints": {"csmguard/v1": finding.fingerprint},
        "properties": {
            "status": finding.status.value,
            "requirements": list(finding.requirements),
            "target": finding.target.model_dump(exclude_none=True),
            "evidence": finding.evidence,
        },
    }
    if finding.provenance is not None:
        out["properties"]["provenance"] = finding.provenance.model_dump(exclude_none=True)
    if loc.path:
        physical: dict[str, Any] = {"artifactLocation": {"uri": loc.path}}
        if loc.line:
            region: dict[str, int] = {"startLine": loc.line}
            if loc.column:
                region["startColumn"] = loc.column
            if loc.end_line:
                region["endLine"] = loc.end_line
            physical["region"] = region
        location: dict[str, Any] = {"physicalLocation": physical}
        symbol = _symbol(finding)
        if symbol:
            location["logicalLocations"] = [{"fullyQualifiedName": symbol, "kind": "function"}]
        out["locations"] = [location]
        flow = _code_flow(finding, physical)
        if flow is not None:
            out["codeFlows"] = [flow]
    else:
        logical = loc.resource or loc.url or loc.device_id or loc.record or (
            f"{loc.host}:{loc.port}" if loc.host else finding.target.id)
        out["locations"] = [{"logicalLocations": [{"fullyQualifiedName": logical}]}]
    return out
