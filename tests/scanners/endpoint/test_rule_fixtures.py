"""Runs every EP- rule on its fixtures: tests/rules/EP-NNN/cases.yaml names lab servers and the expected status.

A case is ``{server: <lab server>, expect: fail|pass|unknown|not_applicable|none, options: {...}}``; ``none``
means the rule must produce no finding on that server (its protocol does not apply).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from csmguard.rules.loader import RuleSet
from tests.scanners.endpoint.lab import Lab

RULES_DIR = Path(__file__).resolve().parents[2] / "rules"


def _cases() -> list[Any]:
    params = []
    for folder in sorted(RULES_DIR.glob("EP-*")):
        data = yaml.safe_load((folder / "cases.yaml").read_text(encoding="utf-8"))
        for case in data["cases"]:
            options = case.get("options", {})
            label = "-".join([folder.name, case["server"], case["expect"], *sorted(options)])
            params.append(pytest.param(folder.name, case["server"], case["expect"], options, id=label))
    return params


def test_every_rule_has_failing_and_passing_fixtures(endpoint_rules: RuleSet) -> None:
    for rule in endpoint_rules.for_scanner("endpoint"):
        cases_file = RULES_DIR / rule.id / "cases.yaml"
        assert cases_file.is_file(), f"{rule.id} has no fixture folder"
        expects = {c["expect"] for c in yaml.safe_load(cases_file.read_text(encoding="utf-8"))["cases"]}
        assert {"fail", "pass"} <= expects, f"{rule.id} needs failing and passing cases, has {expects}"


@pytest.mark.parametrize(("rule_id", "server", "expect", "options"), _cases())
def test_rule_on_fixture(lab: Lab, rule_id: str, server: str, expect: str, options: dict[str, Any]) -> None:
    findings = lab.findings(server, **options)
    finding = findings.get(rule_id)
    if expect == "none":
        assert finding is None, f"{rule_id} should not apply to {server}: {finding}"
        return
    assert finding is not None, f"{rule_id} gave no finding on {server}; got {sorted(findings)}"
    assert finding.status.value == expect, f"{rule_id} on {server}: {finding.status.value}: {finding.message.en}"
    assert finding.message.zh_tw and finding.message.en
