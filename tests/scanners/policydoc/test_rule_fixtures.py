"""Every DOC rule on its fixtures (tests/rules/DOC-NNN/): it passes on pass.md, fails on fail.md."""

from __future__ import annotations

from pathlib import Path

import pytest

from csmguard.domain import FindingStatus
from csmguard.rules.loader import RuleSet
from csmguard.services.policydoc_scan import load_policydoc_rules, scan_policydocs

FIXTURES = Path(__file__).resolve().parents[2] / "rules"
RULE_IDS = sorted(p.name for p in FIXTURES.glob("DOC-*") if p.is_dir())


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return load_policydoc_rules()


def test_every_rule_has_a_fixture_folder(rules: RuleSet) -> None:
    assert [r.id for r in rules.for_scanner("policydoc")] == RULE_IDS


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rule_on_its_fixtures(rule_id: str, rules: RuleSet) -> None:
    folder = FIXTURES / rule_id
    for name, expected in (("pass.md", FindingStatus.PASS), ("fail.md", FindingStatus.FAIL)):
        result = scan_policydocs([folder / name], rules)
        assert result.errors == ()
        statuses = [f.status for f in result.findings if f.rule_id == rule_id]
        assert statuses == [expected], name
    fail_result = scan_policydocs([folder / "fail.md"], rules)
    assert all(f.status is FindingStatus.FAIL for f in fail_result.findings)  # the neutral text satisfies nothing
