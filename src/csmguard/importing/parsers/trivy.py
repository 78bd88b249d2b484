"""Trivy JSON (``trivy fs|config|image --format json``, schema version 2): misconfigurations (FAIL, and PASS
with ``--include-non-failures``) and secrets. Vulnerabilities in packages are read as one foreign rule,
``vulnerability`` (a CVE in a dependency is not by itself a breach of a clause; the bundled mapping leaves it
unmapped, so they are listed, never dropped)."""

from __future__ import annotations

from typing import Any

from csmguard.domain import FindingStatus, Location, Severity, Target
from csmguard.importing.model import ForeignItem, ParsedReport, severity_of
from csmguard.importing.reading import describe_json, digest, masked, not_format, short, status_word

EXPECTED = "a Trivy JSON report (an object with SchemaVersion and Results)"


def looks_like(data: Any) -> bool:
    """Whether ``data`` has the shape of a Trivy JSON report."""
    return isinstance(data, dict) and "SchemaVersion" in data and ("Results" in data or "ArtifactName" in data)


def _misconfigurations(result: dict[str, Any], target: str) -> list[ForeignItem]:
    out: list[ForeignItem] = []
    for mis in result.get("Misconfigurations") or []:
        status = status_word(mis.get("Status")) or FindingStatus.FAIL
        cause = mis.get("CauseMetadata") or {}
        resource = cause.get("Resource") or None
        title = short(mis.get("Title") or mis.get("ID"), 200)
        line = cause.get("StartLine")
        out.append(ForeignItem(
            rule=str(mis.get("ID") or mis.get("AVDID")), status=status, severity=severity_of(mis.get("Severity")),
            title=title, message=f"{target}: {short(mis.get('Message') or title)}",
            target=Target(kind="iac-resource", id=resource) if resource else Target(kind="file", id=target),
            location=Location(path=target, line=line if isinstance(line, int) and line >= 1 else None,
                              resource=resource),
            url=mis.get("PrimaryURL"), evidence={"avd_id": str(mis.get("AVDID") or "")},
            aliases=(str(mis.get("AVDID")),) if mis.get("AVDID") else ()))
    return out


def _secrets(result: dict[str, Any], target: str) -> list[ForeignItem]:
    out: list[ForeignItem] = []
    for secret in result.get("Secrets") or []:
        line = secret.get("StartLine")
        title = short(secret.get("Title") or secret.get("RuleID"), 200)
        out.append(ForeignItem(
            rule=f"secret:{secret.get('RuleID')}", status=FindingStatus.FAIL,
            severity=severity_of(secret.get("Severity"), Severity.HIGH), title=title,
            message=f"{target}: {title}", target=Target(kind="file", id=target),
            location=Location(path=target, line=line if isinstance(line, int) and line >= 1 else None),
            evidence={"match": masked(secret.get("Match"))[:200], "category": str(secret.get("Category") or "")},
            key=digest(secret.get("Match"), secret.get("Offset")), aliases=("secret",)))
    return out


def _vulnerabilities(result: dict[str, Any], target: str) -> list[ForeignItem]:
    return [ForeignItem(
        rule="vulnerability", status=FindingStatus.FAIL, severity=severity_of(vuln.get("Severity")),
        title=short(f"{vuln.get('VulnerabilityID')} {vuln.get('PkgName')} {vuln.get('InstalledVersion')}", 200),
        message=short(f"{target}: {vuln.get('VulnerabilityID')} in {vuln.get('PkgName')} "
                      f"{vuln.get('InstalledVersion')} (fixed in {vuln.get('FixedVersion') or 'no release'})"),
        target=Target(kind="file", id=target), location=Location(path=target), url=vuln.get("PrimaryURL"),
        key=f"{vuln.get('VulnerabilityID')}:{vuln.get('PkgName')}") for vuln in result.get("Vulnerabilities") or []]


def parse(data: Any, source: str) -> list[ParsedReport]:
    """Read a Trivy report; InputError naming ``source`` when it is not one."""
    if not looks_like(data):
        raise not_format(source, EXPECTED, describe_json(data))
    items: list[ForeignItem] = []
    classes: dict[str, int] = {}
    for result in data.get("Results") or []:
        if not isinstance(result, dict):
            continue
        target = str(result.get("Target") or data.get("ArtifactName") or source)
        kind = str(result.get("Class") or "unknown")
        classes[f"trivy-{kind}"] = classes.get(f"trivy-{kind}", 0) + 1
        items += _misconfigurations(result, target) + _secrets(result, target) + _vulnerabilities(result, target)
    version = (data.get("Trivy") or {}).get("Version") if isinstance(data.get("Trivy"), dict) else None
    return [ParsedReport(tool="trivy", version=version, subject=f"artifact:{data.get('ArtifactName') or source}",
                         items=tuple(items), recognised={"trivy-report": 1, **classes})]
