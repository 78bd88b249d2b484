"""Every IAC rule on its fixture folder (tests/rules/IAC-NNN/): exactly which resources pass, fail or stay
undecided, as listed in the folder's expected.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from csmguard.rules.contract import registry
from csmguard.rules.loader import RuleSet
from csmguard.scanners.iac.collect import collect
from csmguard.scanners.iac.facts import IacFacts, IacOptions
from csmguard.scanning.progress import NoProgress
from csmguard.services.iac_scan import load_iac_rules

HERE = Path(__file__).parent
FIXTURES = sorted(p for p in HERE.glob("IAC-*") if p.is_dir())
STATUSES = ("fail", "pass", "unknown", "manual", "not_applicable")


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return load_iac_rules()


def test_every_iac_rule_has_a_fixture_folder(rules: RuleSet) -> None:
    assert {r.id for r in rules.for_scanner("iac")} == {p.name for p in FIXTURES}


@pytest.mark.parametrize("folder", FIXTURES, ids=[p.name for p in FIXTURES])
def test_rule_on_its_fixtures(folder: Path, rules: RuleSet) -> None:
    expected = yaml.safe_load((folder / "expected.yaml").read_text(encoding="utf-8"))
    given = expected.get("options") or {}
    options = IacOptions(**{k: tuple(v) if isinstance(v, list) else v for k, v in given.items()})
    facts = collect([folder], progress=NoProgress())
    assert not facts.errors, [e.describe() for e in facts.errors]
    rule = rules.get(folder.name)
    assert rule.check is not None
    findings = registry("iac", IacFacts, IacOptions).get(rule.check)(rule, facts, options)
    got: dict[str, set[str]] = {status: set() for status in STATUSES}
    for finding in findings:
        got.setdefault(finding.status.value, set()).add(finding.location.resource or "")
        assert finding.requirements == rule.requirements
        assert finding.message.en.startswith(finding.location.resource or "")
    for status in STATUSES:
        assert got[status] == set(expected.get(status) or []), status
    assert len(findings) == sum(len(v) for v in got.values()), "one finding per resource"


def test_iac001_all_disks_sensitive_turns_untagged_unencrypted_disks_into_failures(rules: RuleSet) -> None:
    """CSM-7.5: an untagged unencrypted disk is undecided, unless the firm says every disk holds sensitive data;
    a disk tagged as not sensitive stays out of scope only while that option is off."""
    facts = collect([HERE / "IAC-001"], progress=NoProgress())
    rule = rules.get("IAC-001")
    assert rule.check is not None
    check = registry("iac", IacFacts, IacOptions).get(rule.check)
    got = {f.location.resource: f.status.value for f in check(rule, facts, IacOptions(all_disks_sensitive=True))}
    assert got["aws_ebs_volume.untagged_plain"] == "fail"
    assert got["CfnTemplate"] == "fail"
    assert got["aws_ebs_volume.public_plain"] == "fail"
    assert got["aws_ebs_volume.encrypted"] == "pass"
