from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from csmguard.catalog.model import Catalog
from csmguard.domain import FindingStatus, Lang, Location, ScanError, ScanResult, Target
from csmguard.output import OutputFormat, write_result
from csmguard.rules.loader import load_rules

RULE = """\
id: APP-900
scanner: app
title: {zh-TW: 明文傳輸, en: Cleartext traffic}
severity: high
requirements: [CSM-16.3]
rationale: {zh-TW: 理由, en: Why}
remediation: {zh-TW: 修正, en: Fix}
references: {cwe: [CWE-319], masvs: [MASVS-NETWORK-1]}
condition: {pattern: "http://"}
"""


def _result(tmp_path: Path, catalog: Catalog):  # type: ignore[no-untyped-def]
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "APP-900.yaml").write_text(RULE, encoding="utf-8")
    rules = load_rules(catalog, ["app"], root=tmp_path)
    rule = rules.get("APP-900")
    findings = (
        rule.finding(FindingStatus.FAIL, Target(kind="source", id="src"), Location(path="A.java", line=7)),
        rule.finding(FindingStatus.PASS, Target(kind="apk", id="b.apk"), Location(resource="manifest")),
    )
    return rules, ScanResult(scanner="app", targets=("src", "b.apk"), findings=findings,
                             errors=(ScanError(target="c.apk", path="c.apk", message="not a zip"),))


def test_sarif_carries_rules_requirements_and_tags(tmp_path: Path, catalog: Catalog) -> None:
    rules, result = _result(tmp_path, catalog)
    buffer = io.StringIO()
    write_result(result, OutputFormat.SARIF, buffer, lang=Lang.EN, rules=rules)
    sarif = json.loads(buffer.getvalue())
    assert sarif["version"] == "2.1.0"
    run = sarif["runs"][0]
    descriptor = run["tool"]["driver"]["rules"][0]
    assert descriptor["id"] == "APP-900"
    assert {"CSM-16.3", "MASVS-NETWORK-1", "CWE-319"} <= set(descriptor["properties"]["tags"])
    failing, passing = run["results"]
    assert failing["kind"] == "fail" and failing["level"] == "error"
    assert failing["locations"][0]["physicalLocation"]["region"]["startLine"] == 7
    assert passing["kind"] == "pass" and passing["level"] == "none"
    assert passing["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == "manifest"
    assert run["invocations"][0]["executionSuccessful"] is False


def test_json_csv_and_table(tmp_path: Path, catalog: Catalog) -> None:
    rules, result = _result(tmp_path, catalog)
    out = io.StringIO()
    write_result(result, OutputFormat.JSON, out, lang=Lang.ZH_TW, rules=rules)
    data = json.loads(out.getvalue())
    assert data["tool"]["name"] == "csmguard" and data["scanner"] == "app"
    assert data["findings"][0]["title"]["zh-TW"] == "明文傳輸"
    assert data["errors"] == [{"target": "c.apk", "path": "c.apk", "message": "not a zip"}]
    assert data["stats"]["status_counts"]["fail"] == 1

    out = io.StringIO()
    write_result(result, OutputFormat.CSV, out, lang=Lang.EN, rules=rules)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert rows[0]["title"] == "Cleartext traffic" and rows[0]["line"] == "7"

    out = io.StringIO()
    write_result(result, OutputFormat.TABLE, out, lang=Lang.ZH_TW, rules=rules)
    assert "APP-900" in out.getvalue() and "不符合 1" in out.getvalue() and "not a zip" in out.getvalue()
