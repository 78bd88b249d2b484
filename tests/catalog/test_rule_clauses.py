"""Issue #13: every rule bears on a clause and takes its level; `catalog verify` proves it."""

from __future__ import annotations

import pytest

from csmguard.catalog.loader import load_catalog
from csmguard.domain import Basis, Level
from csmguard.domain.errors import InputError
from csmguard.rules.loader import RuleSet, load_rules, parse_rule
from csmguard.services.catalog import verify_rule_clauses

CATALOG = load_catalog()


def test_every_shipped_rule_matches_the_level_of_the_clause_it_tests() -> None:
    assert verify_rule_clauses(CATALOG, load_rules(CATALOG)) == []


def test_rules_on_a_recommendation_take_its_level() -> None:
    rules = load_rules(CATALOG)
    assert rules.get("REG-003").level is Level.SHOULD  # 「並建議於合約中明文規定雲端服務復原時間」
    assert rules.get("EP-030").level is Level.SHOULD  # 5.3: 宜使用 HTTPS、SFTP 等加密之網路協定
    assert rules.get("EP-001").basis is Basis.GOOD_PRACTICE  # TLS versions: not in the text


def test_a_shall_rule_on_a_should_clause_is_reported() -> None:
    wrong = parse_rule("""
id: REG-099
scanner: register
title: {zh-TW: 測試, en: Test}
severity: medium
requirements: [CSM-14.4.2]
check: managed
rationale: {zh-TW: 測試, en: Test}
remediation: {zh-TW: 測試, en: Test}
""", "REG-099.yaml", CATALOG)
    mixed = wrong.model_copy(update={"level": Level.SHALL})
    problems = verify_rule_clauses(CATALOG, RuleSet((mixed,)))
    assert [p.message for p in problems] == ["rule REG-099 is shall but the clause it tests is should"]


def test_a_clause_the_provision_does_not_have_is_refused() -> None:
    with pytest.raises(InputError, match=r"CSM-4\.2 has no may clause"):
        parse_rule("""
id: REG-098
scanner: register
title: {zh-TW: 測試, en: Test}
severity: medium
requirements: [CSM-4.2]
clause: may
check: x
rationale: {zh-TW: 測試, en: Test}
remediation: {zh-TW: 測試, en: Test}
""", "REG-098.yaml", CATALOG)
