"""The rule contract (csmguard.rules.contract): every rule's ``check:`` resolves to a public function of
its scanner's checks modules (CHECK_MODULES), no name is defined twice, no check is orphaned, the loader
rejects an unknown check, and one failing check is that rule's ``error`` finding while the others run."""

from __future__ import annotations

import types
from collections.abc import Iterator
from pathlib import Path

import pytest

from csmguard.catalog.loader import load_catalog
from csmguard.domain import Finding, FindingStatus, ScanResult, Target
from csmguard.domain.coverage import Coverage, ScanState
from csmguard.domain.errors import InputError
from csmguard.rules.contract import (
    CheckRegistry,
    check_names,
    collect_checks,
    public_checks,
    registry,
    run_checks,
)
from csmguard.rules.loader import RuleSet, load_rules
from csmguard.rules.model import CHECK_MODULES
from csmguard.scanners.iac import checks_identity
from csmguard.scanners.iac.collect import collect
from csmguard.scanners.iac.facts import IacFacts, IacOptions
from csmguard.scanning.progress import NoProgress
from csmguard.services.iac_scan import evaluate, load_iac_rules

ON_CONTRACT = sorted(CHECK_MODULES)


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return load_rules(load_catalog("csm-17"), ON_CONTRACT)


@pytest.mark.parametrize("scanner", ON_CONTRACT)
def test_every_rule_check_resolves(rules: RuleSet, scanner: str) -> None:
    names = check_names(scanner)
    assert names is not None
    for rule in rules.for_scanner(scanner, include_deprecated=True):
        assert rule.check in names, rule.id


@pytest.mark.parametrize("scanner", ON_CONTRACT)
def test_every_check_is_used_by_a_rule(rules: RuleSet, scanner: str) -> None:
    used = {r.check for r in rules.for_scanner(scanner, include_deprecated=True)}
    assert set(check_names(scanner) or ()) - used == set()


def test_a_scanner_not_on_the_contract_has_no_registry() -> None:
    assert check_names("no-such-scanner") is None


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


def test_the_loader_rejects_a_check_the_scanner_does_not_have(tmp_path: Path) -> None:
    source = (Path(__file__).parents[2] / "src/csmguard/rules/iac/IAC-060.yaml").read_text(encoding="utf-8")
    (tmp_path / "iac").mkdir()
    (tmp_path / "iac" / "IAC-060.yaml").write_text(source.replace("check: privileged_containers",
                                                                  "check: no_such_check"), encoding="utf-8")
    with pytest.raises(InputError, match="'no_such_check' is not a registered check of scanner 'iac'"):
        load_rules(load_catalog("csm-17"), ["iac"], root=tmp_path)


def test_a_failing_check_is_its_rules_error_finding_and_the_others_run(tmp_path: Path) -> None:
    rules = load_iac_rules()
    (tmp_path / "main.tf").write_text('resource "aws_ecr_repository" "r" {\n  name = "r"\n}\n'
                                      'resource "aws_subnet" "s" {\n  cidr_block = "10.0.0.0/24"\n}\n',
                                      encoding="utf-8")
    facts = collect([tmp_path], progress=NoProgress())
    broken = rules.get("IAC-054").model_copy(update={"resource_types": ()})
    findings = evaluate(facts, RuleSet((broken, rules.get("IAC-015"))), IacOptions())
    assert [(f.rule_id, f.status.value, f.location.resource) for f in findings] == [
        ("IAC-054", "error", None), ("IAC-015", "pass", "aws_subnet.s")]
    error = findings[0]
    assert error.target == Target(kind="rule", id="IAC-054", name="ecr_tags_mutable")
    assert "rule IAC-054 could not be evaluated: ValueError" in error.message.en
    assert "lists no resource_types" in error.message.en
    assert "規則 IAC-054 無法評估" in error.message.zh_tw
    assert error.evidence["exception"] == "ValueError"
    result = ScanResult(scanner="iac", targets=("x",), findings=tuple(findings),
                        coverage=Coverage(recognised={"iac-resource": 2}))
    assert result.state is ScanState.PARTIAL


def test_an_exception_while_a_lazy_check_yields_is_caught() -> None:
    rule = load_iac_rules().get("IAC-060")

    def lazy(rule_: object, facts: int, context: int) -> Iterator[Finding]:
        yield rule.finding(FindingStatus.PASS, Target(kind="t", id="1"))
        raise RuntimeError(f"boom {facts + context}")

    checks: CheckRegistry[int, int] = CheckRegistry("iac", {"privileged_containers": lazy})
    findings = run_checks([rule], checks, 1, 2)
    assert [(f.status.value, f.message.en) for f in findings] == [
        ("error", "rule IAC-060 could not be evaluated: RuntimeError: boom 3")]


def test_a_check_missing_from_the_registry_is_an_error_finding() -> None:
    rule = load_iac_rules().get("IAC-060")
    checks: CheckRegistry[int, int] = CheckRegistry("iac", {})
    [finding] = run_checks([rule], checks, 1, 2)
    assert finding.status is FindingStatus.ERROR
    assert "'privileged_containers' is not a check of scanner 'iac'" in finding.message.en


def _findings(rules: RuleSet, rule_id: str, tmp_path: Path, text: str) -> list[tuple[str, str]]:
    (tmp_path / "main.tf").write_text(text, encoding="utf-8")
    facts = collect([tmp_path], progress=NoProgress())
    rule = rules.get(rule_id)
    assert rule.check is not None
    check = registry("iac", IacFacts, IacOptions).get(rule.check)
    return [(f.status.value, f.location.resource or "") for f in check(rule, facts, IacOptions())]


AWS_ONLY = 'resource "aws_s3_bucket" "b" {\n  bucket = "b"\n}\n'
GCP_ONLY = 'resource "google_storage_bucket" "b" {\n  name = "b"\n  location = "ASIA-EAST1"\n}\n'


def test_no_detector_in_aws_code_is_for_a_person_to_confirm(rules: RuleSet, tmp_path: Path) -> None:
    assert _findings(rules, "IAC-033", tmp_path, AWS_ONLY) == [("manual", "aws_s3_bucket.b")]


def test_no_detector_needed_where_the_rule_knows_none(rules: RuleSet, tmp_path: Path) -> None:
    assert _findings(rules, "IAC-033", tmp_path, GCP_ONLY) == []


def test_no_config_recorder_in_aws_code_is_for_a_person_to_confirm(rules: RuleSet, tmp_path: Path) -> None:
    assert _findings(rules, "IAC-053", tmp_path, AWS_ONLY) == [("manual", "aws_s3_bucket.b")]


def test_errors_of_a_rule_run_once_per_target_stay_distinct() -> None:
    rule = load_iac_rules().get("IAC-060")

    def broken(rule_: object, facts: int, context: int) -> list[Finding]:
        raise KeyError("spec")

    checks: CheckRegistry[int, int] = CheckRegistry("iac", {"privileged_containers": broken})
    [first] = run_checks([rule], checks, 1, 2, where="https://127.0.0.1:8443")
    [second] = run_checks([rule], checks, 1, 2, where="https://127.0.0.1:9443")
    assert first.fingerprint != second.fingerprint
    assert (first.location.resource, first.evidence["where"]) == ("https://127.0.0.1:8443",) * 2
