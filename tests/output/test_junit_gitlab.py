"""JUnit XML and GitLab SAST output: counts that reconcile with the result, and imported findings name their tool."""

from __future__ import annotations

import io
import json
from pathlib import Path
from xml.etree import ElementTree as ET

from csmguard.domain import Lang
from csmguard.output import OutputFormat, write_result
from csmguard.rules.loader import RuleSet
from csmguard.services.import_findings import read_findings

IMPORTS = Path(__file__).parents[1] / "importing" / "fixtures"


def _render(fmt: OutputFormat, name: str) -> tuple[str, dict[str, int]]:
    [item] = read_findings([IMPORTS / name])
    buffer = io.StringIO()
    write_result(item.result, fmt, buffer, lang=Lang.EN, rules=RuleSet(()))
    return buffer.getvalue(), item.result.status_counts()


def test_junit_counts_reconcile_with_the_result() -> None:
    xml, counts = _render(OutputFormat.JUNIT, "mobsf/android-5.1.0.json")
    root = ET.fromstring(xml)
    cases = root.findall(".//testcase")
    assert len(cases) == sum(counts.values()) == int(root.get("tests", "0"))
    assert len(root.findall(".//failure")) == counts["fail"] == int(root.get("failures", "0"))
    assert len(root.findall(".//skipped")) == counts["manual"] + counts["unknown"] + counts["error"]
    assert {s.get("name") for s in root.findall("testsuite")} >= {"CSM-16.3 (import:mobsf)"}


def test_gitlab_sast_lists_failing_findings_with_the_foreign_rule() -> None:
    text, counts = _render(OutputFormat.GITLAB_SAST, "checkov/terraform.json")
    report = json.loads(text)
    assert len(report["vulnerabilities"]) == counts["fail"] == 10
    ckv = [v for v in report["vulnerabilities"] if v["identifiers"][0]["value"] == "XCKV-001"]
    assert ckv and {"type": "csm_requirement", "name": "CSM-7.5", "value": "CSM-7.5"} in ckv[0]["identifiers"]
    assert any(i["type"] == "checkov" and i["value"] == "CKV_AWS_3" for i in ckv[0]["identifiers"])
    assert len({v["id"] for v in report["vulnerabilities"]}) == len(report["vulnerabilities"])
