"""Any SARIF 2.1.0 log. Each run is one report: when its tool is one we have a mapping for (Checkov, mobsfscan,
gitleaks, Trivy, MobSF) that mapping is used; otherwise the generic SARIF mapping, which knows rules by the CWE
they are tagged with (every gitleaks rule is a secret). Results suppressed in the log are counted in the
notes, never imported as passes."""

from __future__ import annotations

from typing import Any

from csmguard.domain import FindingStatus, Location, Severity, Target
from csmguard.importing.model import ForeignItem, ParsedReport
from csmguard.importing.reading import describe_json, digest, not_format, short

EXPECTED = "a SARIF 2.1.0 log (an object with version 2.1.0 and runs)"
KNOWN_TOOLS = {"checkov": "checkov", "mobsfscan": "mobsfscan", "gitleaks": "gitleaks", "trivy": "trivy",
               "mobsf": "mobsf"}
_LEVEL = {"error": Severity.HIGH, "warning": Severity.MEDIUM, "note": Severity.LOW, "none": Severity.INFO}
_KIND = {"fail": FindingStatus.FAIL, "pass": FindingStatus.PASS, "review": FindingStatus.MANUAL,
         "open": FindingStatus.MANUAL}


def looks_like(data: Any) -> bool:
    """Whether ``data`` is a SARIF 2.1.0 log."""
    return isinstance(data, dict) and str(data.get("version")) == "2.1.0" and isinstance(data.get("runs"), list)


def _cwes(rule: dict[str, Any]) -> tuple[str, ...]:
    props = rule.get("properties") or {}
    tags = [*(props.get("tags") or []), *(props.get("cwe") or [] if isinstance(props.get("cwe"), list)
                                          else [props.get("cwe")] if props.get("cwe") else [])]
    out: list[str] = []
    for tag in tags:
        word = str(tag).upper().replace("EXTERNAL/CWE/", "")
        if word.startswith("CWE-"):
            number = "".join(ch for ch in word[4:] if ch.isdigit())
            if number:
                out.append(f"cwe:CWE-{int(number)}")
    return tuple(dict.fromkeys(out))


def _location(result: dict[str, Any]) -> tuple[Location, str | None]:
    for loc in result.get("locations") or []:
        physical = loc.get("physicalLocation") or {}
        uri = (physical.get("artifactLocation") or {}).get("uri")
        if uri:
            region = physical.get("region") or {}
            line = region.get("startLine")
            return Location(path=str(uri), line=line if isinstance(line, int) and line >= 1 else None), str(uri)
        for logical in loc.get("logicalLocations") or []:
            name = logical.get("fullyQualifiedName") or logical.get("name")
            if name:
                return Location(resource=str(name)), None
    return Location(), None


def _run(run: dict[str, Any], source: str, index: int) -> ParsedReport:
    driver = ((run.get("tool") or {}).get("driver") or {})
    name = str(driver.get("name") or "unknown")
    tool = KNOWN_TOOLS.get(name.strip().lower(), "sarif")
    rules = {str(r.get("id")): r for r in driver.get("rules") or [] if isinstance(r, dict)}
    items: list[ForeignItem] = []
    suppressed = 0
    for result in run.get("results") or []:
        if not isinstance(result, dict):
            continue
        if any(s.get("status", "accepted") == "accepted" for s in result.get("suppressions") or []):
            suppressed += 1
            continue
        rule_id = str(result.get("ruleId") or (result.get("rule") or {}).get("id") or "")
        if not rule_id:
            continue
        rule = rules.get(rule_id, {})
        kind = str(result.get("kind") or "fail")
        status = _KIND.get(kind)
        if status is None:  # notApplicable, informational: not a verdict
            continue
        level = str(result.get("level") or (rule.get("defaultConfiguration") or {}).get("level") or "warning")
        location, path = _location(result)
        text = short((result.get("message") or {}).get("text") or rule_id)
        title = short((rule.get("shortDescription") or {}).get("text") or rule.get("name") or rule_id, 200)
        items.append(ForeignItem(
            rule=rule_id, status=status, severity=_LEVEL.get(level, Severity.MEDIUM), title=title,
            message=f"{path}: {text}" if path else text,
            target=Target(kind="file", id=path) if path else Target(kind="source", id=source),
            location=location, url=rule.get("helpUri"),
            key=digest(*(result.get("partialFingerprints") or {}).values(), text),
            aliases=("secret", *_cwes(rule)) if tool == "gitleaks" else _cwes(rule)))
    version = driver.get("semanticVersion") or driver.get("version")
    notes = (f"{name}: results suppressed in the log, not imported: {suppressed}",) if suppressed else ()
    return ParsedReport(tool=tool, version=str(version) if version else None,
                        subject=f"sarif:{source}#{index}" if index else f"sarif:{source}", items=tuple(items),
                        recognised={"sarif-run": 1}, notes=(f"SARIF tool: {name}", *notes))


def parse(data: Any, source: str) -> list[ParsedReport]:
    """Read a SARIF 2.1.0 log, one report per run; InputError naming ``source`` when it is not one."""
    if not looks_like(data):
        raise not_format(source, EXPECTED, describe_json(data))
    runs = [run for run in data["runs"] if isinstance(run, dict)]
    if not runs:
        raise not_format(source, EXPECTED, "a SARIF log without any run")
    return [_run(run, source, index) for index, run in enumerate(runs)]
