"""The rule YAML is the only source of the resource types an IAC rule reads: every rule lists them, the
checks read a type only when the rule lists it, and every listed type is one its check can read (seen
while the check runs on the rule's fixtures)."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
import yaml

from csmguard.domain import FindingStatus
from csmguard.rules.contract import public_checks
from csmguard.rules.loader import RuleSet
from csmguard.rules.model import CHECK_MODULES, Rule
from csmguard.scanners.iac import checkbase
from csmguard.scanners.iac.collect import collect
from csmguard.scanners.iac.facts import IacFacts, IacOptions, Resource
from csmguard.scanning.progress import NoProgress
from csmguard.services.iac_scan import load_iac_rules

FIXTURES = Path(__file__).parents[2] / "rules"
RULES: RuleSet = load_iac_rules()
MODULES = [importlib.import_module(name) for name in CHECK_MODULES["iac"]]


def test_every_iac_rule_lists_its_resource_types() -> None:
    assert [r.id for r in RULES.for_scanner("iac") if not r.resource_types] == []


def test_a_check_reads_only_the_types_its_rule_lists(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('resource "aws_ebs_volume" "a" {\n  encrypted = false\n}\n'
                                      'resource "aws_ami" "b" {\n  name = "b"\n}\n', encoding="utf-8")
    facts = collect([tmp_path], progress=NoProgress())
    rule = RULES.get("IAC-001")
    narrowed = rule.model_copy(update={"resource_types": ("aws_ebs_volume",)})
    assert [r.address for r in checkbase.resources(narrowed, facts, "aws_ebs_volume", "aws_ami")] == \
        ["aws_ebs_volume.a"]


@pytest.mark.parametrize("rule", RULES.for_scanner("iac"), ids=lambda r: r.id)
def test_every_listed_type_is_one_the_check_reads(rule: Rule, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: set[str] = set()
    direct: list[bool] = []

    def recording_resources(rule_: Rule, facts: IacFacts, *readable: str) -> list[Resource]:
        asked.update(readable)
        return checkbase.resources(rule_, facts, *readable)

    def recording_rule_types(rule_: Rule) -> tuple[str, ...]:
        direct.append(True)
        return checkbase.rule_types(rule_)

    for module in MODULES:
        if hasattr(module, "resources"):
            monkeypatch.setattr(module, "resources", recording_resources)
        if hasattr(module, "rule_types"):
            monkeypatch.setattr(module, "rule_types", recording_rule_types)
    check = next(public_checks(m)[rule.check] for m in MODULES if rule.check in public_checks(m))
    expect = yaml.safe_load((FIXTURES / rule.id / "expect.yaml").read_text(encoding="utf-8"))
    context = expect.get("context") or {}
    options = IacOptions(**{k: tuple(v) if isinstance(v, list) else v for k, v in context.items()})
    judged: set[str] = set()
    for fixture in expect["fixtures"]:
        findings = check(rule, collect([FIXTURES / rule.id / fixture], progress=NoProgress()), options)
        judged.update(str(f.evidence["type"]) for f in findings if f.status is not FindingStatus.MANUAL)
    # (a manual finding "none in the scanned code" sits on any resource of the cloud, not a judged one)
    assert judged <= set(rule.resource_types), "judged a type the YAML does not list"
    if not direct:  # a check that iterates the listed types itself reads each of them by construction
        assert set(rule.resource_types) - asked == set(), "listed in the YAML but read by no part of the check"
