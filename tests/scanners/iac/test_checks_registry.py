"""The IaC check registry: every rule's ``check:`` resolves to a public function of a module in
CHECK_MODULES, no name is defined twice, no check is orphaned, and a rule whose YAML lacks the
resource types its check reads fails as that rule's error while the other rules run."""

from __future__ import annotations

import types
from pathlib import Path

import pytest

from csmguard.rules.loader import RuleSet
from csmguard.scanners.iac import checks_identity
from csmguard.scanners.iac.checks import CHECK_MODULES, CHECKS, collect_checks, public_checks
from csmguard.scanners.iac.collect import collect
from csmguard.scanners.iac.facts import IacOptions
from csmguard.scanning.progress import NoProgress
from csmguard.services.iac_scan import evaluate, load_iac_rules


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return load_iac_rules()


def test_every_rule_check_resolves(rules: RuleSet) -> None:
    for rule in rules.for_scanner("iac"):
        assert rule.check in CHECKS, rule.id


def test_no_two_modules_define_the_same_check() -> None:
    names = [name for module in CHECK_MODULES for name in public_checks(module)]
    assert len(names) == len(set(names))


def test_a_duplicate_name_is_rejected() -> None:
    def shared(*_: object) -> list[object]:
        return []

    first, second = types.ModuleType("first"), types.ModuleType("second")
    for module in (first, second):
        clone = types.FunctionType(shared.__code__, {}, "shared")
        clone.__module__ = module.__name__
        module.shared = clone  # type: ignore[attr-defined]
    with pytest.raises(ValueError, match="'shared' is defined in both first and second"):
        collect_checks((first, second))


def test_imported_and_private_functions_are_not_checks() -> None:
    found = public_checks(checks_identity)
    assert "wildcard_admin_policies" in found
    assert "statements" not in found  # imported from policy.py
    assert not [name for name in found if name.startswith("_")]


def test_every_check_is_used_by_a_rule(rules: RuleSet) -> None:
    used = {r.check for r in rules.for_scanner("iac", include_deprecated=True)}
    assert set(CHECKS) - used == set()


def test_rule_without_resource_types_is_an_error_of_that_rule(rules: RuleSet, tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('resource "aws_ecr_repository" "r" {\n  name = "r"\n}\n'
                                      'resource "aws_subnet" "s" {\n  cidr_block = "10.0.0.0/24"\n}\n',
                                      encoding="utf-8")
    facts = collect([tmp_path], progress=NoProgress())
    broken = rules.get("IAC-054").model_copy(update={"resource_types": ()})
    findings, errors = evaluate(facts, RuleSet((broken, rules.get("IAC-015"))), IacOptions())
    assert [(f.rule_id, f.status.value, f.location.resource) for f in findings] == [("IAC-015", "pass", "aws_subnet.s")]
    assert [e.target for e in errors] == ["IAC-054"]
    assert "lists no resource_types" in errors[0].message


def _findings(rules: RuleSet, rule_id: str, tmp_path: Path, text: str) -> list[tuple[str, str]]:
    (tmp_path / "main.tf").write_text(text, encoding="utf-8")
    facts = collect([tmp_path], progress=NoProgress())
    rule = rules.get(rule_id)
    assert rule.check is not None
    return [(f.status.value, f.location.resource or "") for f in CHECKS[rule.check](rule, facts, IacOptions())]


AWS_ONLY = 'resource "aws_s3_bucket" "b" {\n  bucket = "b"\n}\n'
GCP_ONLY = 'resource "google_storage_bucket" "b" {\n  name = "b"\n  location = "ASIA-EAST1"\n}\n'


def test_no_detector_in_aws_code_is_for_a_person_to_confirm(rules: RuleSet, tmp_path: Path) -> None:
    assert _findings(rules, "IAC-033", tmp_path, AWS_ONLY) == [("manual", "aws_s3_bucket.b")]


def test_no_detector_needed_where_the_rule_knows_none(rules: RuleSet, tmp_path: Path) -> None:
    assert _findings(rules, "IAC-033", tmp_path, GCP_ONLY) == []


def test_no_config_recorder_in_aws_code_is_for_a_person_to_confirm(rules: RuleSet, tmp_path: Path) -> None:
    assert _findings(rules, "IAC-053", tmp_path, AWS_ONLY) == [("manual", "aws_s3_bucket.b")]
