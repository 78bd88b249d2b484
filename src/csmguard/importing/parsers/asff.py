"""AWS Security Hub findings in ASFF (``aws securityhub get-findings`` output, ``{"Findings": [...]}``, or a bare
list as Prowler's ``-M json-asff`` writes). The foreign rule is the Security Hub control ID
(``Compliance.SecurityControlId``, e.g. ``EC2.7``) or else the GeneratorId. Findings that Prowler produced
(ProductFields.ProviderName = Prowler) are read as Prowler's, with Prowler's check IDs and mapping."""

from __future__ import annotations

from typing import Any

from csmguard.domain import FindingStatus, Location, Target
from csmguard.importing.model import ForeignItem, ParsedReport, severity_of
from csmguard.importing.reading import describe_json, not_format, short

EXPECTED = "AWS Security Hub findings in ASFF (an object with Findings, or a list of findings with SchemaVersion, " \
           "GeneratorId and AwsAccountId)"
_COMPLIANCE = {"PASSED": FindingStatus.PASS, "FAILED": FindingStatus.FAIL, "WARNING": FindingStatus.MANUAL}


def _findings(data: Any) -> list[Any] | None:
    rows = data.get("Findings") if isinstance(data, dict) else data
    if isinstance(rows, list) and rows and all(
            isinstance(r, dict) and "GeneratorId" in r and "AwsAccountId" in r and "SchemaVersion" in r for r in rows):
        return rows
    return None


def looks_like(data: Any) -> bool:
    """Whether ``data`` holds Security Hub findings in ASFF."""
    return _findings(data) is not None


def _provider(row: dict[str, Any]) -> tuple[str, str | None]:
    fields = row.get("ProductFields") or {}
    name = str(fields.get("ProviderName") or fields.get("aws/securityhub/ProductName") or row.get("ProductName")
               or "Security Hub")
    return name, fields.get("ProviderVersion")


def parse(data: Any, source: str) -> list[ParsedReport]:
    """Read ASFF findings, one report per producing tool; InputError naming ``source`` when it is not ASFF."""
    rows = _findings(data)
    if rows is None:
        raise not_format(source, EXPECTED, describe_json(data))
    by_tool: dict[str, list[ForeignItem]] = {}
    versions: dict[str, str | None] = {}
    accounts: dict[str, set[str]] = {}
    skipped = 0
    for row in rows:
        provider, version = _provider(row)
        prowler = provider.lower() == "prowler"
        tool = "prowler" if prowler else "asff"
        compliance = row.get("Compliance") or {}
        status = _COMPLIANCE.get(str(compliance.get("Status") or "").upper())
        if status is None and not compliance:
            status = FindingStatus.FAIL  # without a compliance check (GuardDuty, Inspector) it is a problem found
        workflow = str((row.get("Workflow") or {}).get("Status") or "").upper()
        if status is None or workflow == "SUPPRESSED" or str(row.get("RecordState") or "").upper() == "ARCHIVED":
            skipped += 1
            continue
        generator = str(row.get("GeneratorId") or "")
        rule = generator.removeprefix("prowler-") if prowler else str(compliance.get("SecurityControlId") or generator)
        url = ((row.get("Remediation") or {}).get("Recommendation") or {}).get("Url")
        for res in row.get("Resources") or [{}]:
            uid = str(res.get("Id") or row.get("AwsAccountId"))
            by_tool.setdefault(tool, []).append(ForeignItem(
                rule=rule, status=status, severity=severity_of((row.get("Severity") or {}).get("Label")),
                title=short(row.get("Title") or rule, 200), message=short(row.get("Description") or ""),
                target=Target(kind="cloud-resource", id=uid, name=str(res.get("Type") or "") or None),
                location=Location(resource=uid), url=url, key=rule,
                evidence={"region": str(row.get("Region") or res.get("Region") or ""), "product": provider},
                aliases=(generator,)))
        versions.setdefault(tool, version)
        accounts.setdefault(tool, set()).add(str(row.get("AwsAccountId")))
    notes = (f"ASFF findings suppressed, archived or without a compliance status, not imported: {skipped}",) \
        if skipped else ()
    if not by_tool:
        return [ParsedReport(tool="asff", version=None, subject=f"cloud:{source}", items=(),
                             recognised={"asff-finding": len(rows)}, notes=notes)]
    return [ParsedReport(tool=tool, version=versions.get(tool), subject=f"aws:{','.join(sorted(accounts[tool]))}",
                         items=tuple(items), recognised={"asff-finding": len(items)}, notes=notes)
            for tool, items in sorted(by_tool.items())]
