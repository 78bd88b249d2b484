"""Issue #13 item 3: every case the issue lists rests on the basis the guideline's words support, and the
corrected verdicts follow (a good-practice finding never makes a provision 不符合 unless the firm adopted it)."""

from __future__ import annotations

from datetime import date

import pytest

from csmguard.assessment import ComplianceStatus, assess
from csmguard.catalog.loader import load_catalog
from csmguard.domain import Basis, Level, Severity
from csmguard.registers.check_helpers import RegisterCheckContext
from csmguard.registers.check_settings import RegisterCheckSettings
from csmguard.registers.checks import run_checks
from csmguard.registers.facts import RegisterFacts
from csmguard.rules.contract import registry
from csmguard.rules.loader import RuleSet, load_rules
from tests.assessment.factory import ALL_YES
from tests.registers.facts import facts_from

CATALOG = load_catalog()
AS_OF = date(2026, 6, 30)


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return load_rules(CATALOG)


FIRM_POLICY = ["REG-001", "REG-004", "REG-008", "REG-010", "REG-011", "REG-014", "DEV-012", "DEV-015", "DEV-017",
               "SOC-005"]
GOOD_PRACTICE = ["REG-002", "REG-016", "REG-018", "SOC-003", "DOC-003", "DOC-004", "DOC-005", "DOC-006", "DOC-007",
                 "DOC-008", "EP-001", "EP-004", "EP-010", "IAC-051", "IAC-052", "IAC-070", "APP-016"]
TEXT = ["REG-003", "REG-009", "REG-013", "IAC-001", "DOC-001", "MSG-001", "APP-013"]


@pytest.mark.parametrize("rule_id", FIRM_POLICY)
def test_thresholds_the_text_leaves_open_are_firm_policy(rules: RuleSet, rule_id: str) -> None:
    rule = rules.get(rule_id)
    assert rule.basis is Basis.FIRM_POLICY and rule.settings and rule.basis_note is not None


@pytest.mark.parametrize("rule_id", GOOD_PRACTICE)
def test_requirements_the_text_lacks_are_good_practice(rules: RuleSet, rule_id: str) -> None:
    rule = rules.get(rule_id)
    assert rule.basis is Basis.GOOD_PRACTICE and rule.basis_note is not None


@pytest.mark.parametrize("rule_id", TEXT)
def test_the_texts_own_duties_stay_on_the_text(rules: RuleSet, rule_id: str) -> None:
    assert rules.get(rule_id).basis is Basis.TEXT


def test_star_rule_tests_the_may_clause_and_mfa_is_not_high(rules: RuleSet) -> None:
    assert rules.get("REG-002").level is Level.MAY  # 4.3: 銅牌以上者「可」… ; nothing about providers without it
    assert rules.get("SOC-003").severity is not Severity.HIGH


def test_no_rationale_of_a_firm_policy_rule_presents_its_default_as_the_guidelines(rules: RuleSet) -> None:
    for rule in rules.rules:
        if rule.basis is Basis.FIRM_POLICY:
            assert "公司" in rule.basis_note.zh_tw and "firm" in rule.basis_note.en, rule.id  # type: ignore[union-attr]


def _register_assessment(rules: RuleSet, registers: dict[str, list[dict[str, object]]],
                         adopted: frozenset[str] = frozenset()) -> dict[str, ComplianceStatus]:
    result = run_checks(rules, facts_from(registers), RegisterCheckSettings(), AS_OF)
    assessed = assess(CATALOG, ALL_YES, result.findings, [], [], AS_OF, adopted_practices=adopted)
    return {r.id: r.status for r in assessed.requirements}


def test_a_device_outside_mdm_does_not_make_14_3_non_compliant_unless_the_firm_adopted_it(rules: RuleSet) -> None:
    registers: dict[str, list[dict[str, object]]] = {
        "devices": [{"device_id": "PH-1", "owner": "Amy", "status": "in_use", "holds_sensitive_data": True,
                     "mdm_managed": False}]}
    assert _register_assessment(rules, registers)["CSM-14.3"] is not ComplianceStatus.NON_COMPLIANT
    assert _register_assessment(rules, registers, frozenset({"REG-016"}))["CSM-14.3"] is ComplianceStatus.NON_COMPLIANT


def test_a_provider_without_star_and_no_onsite_audit_does_not_make_4_3_non_compliant(rules: RuleSet) -> None:
    registers: dict[str, list[dict[str, object]]] = {
        "cloud-services": [{"name": "S", "provider": "P", "model": "saas", "critical": True}],
        "cloud-providers": [{"name": "P", "star_award": "none", "last_audit_kind": "document_review",
                             "last_audit_on": "2026-03-01", "recovery_time_hours": 4}]}
    assert _register_assessment(rules, registers)["CSM-4.3"] is not ComplianceStatus.NON_COMPLIANT


def test_an_unapproved_social_media_policy_meets_10_1_and_mfa_is_not_11_4s(rules: RuleSet) -> None:
    registers: dict[str, list[dict[str, object]]] = {
        "policies": [{"kind": "social_media_use", "title": "Draft", "version": "0.9", "approved": False}],
        "social-accounts": [{"platform": "line", "handle": "acme", "administrators": "Amy=owner",
                             "content_approval": True, "mfa": False}]}
    rule = rules.get("REG-013")
    assert rule.check is not None
    check = registry("register", RegisterFacts, RegisterCheckContext).get(rule.check)
    assert [f.status.value for f in check(rule, facts_from(registers),
                                          RegisterCheckContext(RegisterCheckSettings(), AS_OF))] == ["pass"]
    statuses = _register_assessment(rules, registers)
    assert statuses["CSM-10.1"] is not ComplianceStatus.NON_COMPLIANT


def test_an_overdue_audit_on_the_default_interval_is_non_compliant_firm_policy(rules: RuleSet) -> None:
    registers: dict[str, list[dict[str, object]]] = {
        "cloud-services": [{"name": "S", "provider": "P", "model": "saas", "critical": True}],
        "cloud-providers": [{"name": "P", "star_award": "bronze", "last_audit_on": "2025-01-01",
                             "recovery_time_hours": 4}]}
    assert _register_assessment(rules, registers)["CSM-4.3"] is ComplianceStatus.NON_COMPLIANT
