"""Every MSG rule on its fixture folder (tests/rules/MSG-NNN/): exactly the expected lines fail and pass."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from csmguard.domain import FindingStatus
from csmguard.rules.loader import RuleSet
from csmguard.services.messages_scan import load_messages_rules, scan_messages

FIXTURES = Path(__file__).resolve().parents[2] / "rules"
RULE_IDS = sorted(p.name for p in FIXTURES.glob("MSG-*") if p.is_dir())


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return load_messages_rules()


def test_every_rule_has_a_fixture_folder(rules: RuleSet) -> None:
    assert [r.id for r in rules.for_scanner("messages")] == RULE_IDS


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rule_on_its_fixtures(rule_id: str, rules: RuleSet) -> None:
    folder = FIXTURES / rule_id
    expected = yaml.safe_load((folder / "expected.yaml").read_text(encoding="utf-8"))
    by_record = bool(expected.get("records"))
    for status_name, status in (("fail", FindingStatus.FAIL), ("pass", FindingStatus.PASS)):
        for name in {**expected["fail"], **expected["pass"]}:
            result = scan_messages([folder / name], rules)
            assert result.errors == ()
            places = sorted(
                (f.evidence["record"] if by_record else f.location.line)
                for f in result.findings if f.rule_id == rule_id and f.status is status)
            assert places == expected[status_name].get(name, []), (name, status_name)


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_evidence_never_shows_a_value_in_full(rule_id: str, rules: RuleSet) -> None:
    folder = FIXTURES / rule_id
    secrets = yaml.safe_load((folder / "expected.yaml").read_text(encoding="utf-8"))["secrets"]
    for path in folder.glob("fail.*"):
        result = scan_messages([path], rules)
        dumped = json.dumps(result.to_json_dict(), ensure_ascii=False)
        assert [f for f in result.findings if f.rule_id == rule_id]
        for secret in secrets:
            assert str(secret) in path.read_text(encoding="utf-8") or rule_id == "MSG-005"
            assert str(secret) not in dumped
