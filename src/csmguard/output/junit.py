"""JUnit XML, for CI systems that show test reports: one test suite per scanned requirement, one test case per
finding. A failing finding is a failure, a pass passes, a finding that needs a person (manual, unknown, error)
is skipped with the reason; an input that could not be read is an error case."""

from __future__ import annotations

from collections import defaultdict
from typing import TextIO
from xml.etree import ElementTree as ET

from csmguard.domain import Finding, FindingStatus, Lang, ScanResult


def _case(suite: ET.Element, finding: Finding, lang: Lang) -> None:
    loc = finding.location
    case = ET.SubElement(suite, "testcase", {"classname": finding.rule_id, "name": finding.target.id,
                                             "file": loc.path or "", **({"line": str(loc.line)} if loc.line else {})})
    message = f"{finding.title.get(lang)}: {finding.message.get(lang)}"
    if finding.status is FindingStatus.FAIL:
        failure = ET.SubElement(case, "failure", {"message": finding.title.get(lang),
                                                  "type": f"{finding.severity.value}/{(finding.level or '')}"})
        failure.text = message
    elif finding.status is not FindingStatus.PASS:
        ET.SubElement(case, "skipped", {"message": f"{finding.status.value}: {message}"})


def junit_document(result: ScanResult, *, lang: Lang) -> ET.Element:
    """The JUnit XML tree of ``result``."""
    by_requirement: dict[str, list[Finding]] = defaultdict(list)
    for finding in result.findings:
        by_requirement[finding.requirements[0]].append(finding)
    root = ET.Element("testsuites", {"name": f"csmguard {result.scanner}"})
    for requirement in sorted(by_requirement):
        findings = by_requirement[requirement]
        suite = ET.SubElement(root, "testsuite", {
            "name": f"{requirement} ({result.scanner})", "tests": str(len(findings)),
            "failures": str(sum(f.status is FindingStatus.FAIL for f in findings)), "errors": "0",
            "skipped": str(sum(f.status not in (FindingStatus.FAIL, FindingStatus.PASS) for f in findings))})
        for finding in findings:
            _case(suite, finding, lang)
    if result.errors:
        count = str(len(result.errors))
        suite = ET.SubElement(root, "testsuite", {"name": f"inputs ({result.scanner})", "tests": count,
                                                  "failures": "0", "errors": count, "skipped": "0"})
        for error in result.errors:
            case = ET.SubElement(suite, "testcase", {"classname": "input", "name": error.path or error.target})
            ET.SubElement(case, "error", {"message": error.message}).text = error.describe()
    root.set("tests", str(sum(int(s.get("tests", "0")) for s in root)))
    root.set("failures", str(sum(int(s.get("failures", "0")) for s in root)))
    root.set("errors", str(sum(int(s.get("errors", "0")) for s in root)))
    return root


def write_junit(result: ScanResult, stream: TextIO, *, lang: Lang) -> None:
    """Write ``result`` as JUnit XML."""
    tree = junit_document(result, lang=lang)
    ET.indent(tree)
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(ET.tostring(tree, encoding="unicode"))
    stream.write("\n")
