"""Rules bear on the provisions they really test, and say so: the remaps of issue #13 (container images,
WebView settings, TLS on public endpoints) and the wording of rules on 宜 (should) clauses."""

from __future__ import annotations

import re

import pytest

from csmguard.catalog.model import Catalog
from csmguard.domain import Level
from csmguard.rules.loader import RuleSet, load_rules

SCANNERS = ["app", "iac", "endpoint", "site", "fleet", "messages", "policydoc", "register", "social"]


@pytest.fixture(scope="module")
def rules(catalog: Catalog) -> RuleSet:
    return load_rules(catalog, SCANNERS)


def test_container_image_rules_stay_on_7_1_as_good_practice_and_say_why(rules: RuleSet) -> None:
    for rule_id in ("IAC-051", "IAC-052"):
        rule = rules.get(rule_id)
        assert rule.requirements == ("CSM-7.1",)  # the closest provision: no clause covers container images
        assert "good-practice" in rule.tags
        assert "container images are outside its words" in rule.rationale.en
        assert "容器映像檔不在其文字範圍內" in rule.rationale.zh_tw


def test_webview_rules_are_not_special_character_filtering(rules: RuleSet) -> None:
    assert rules.get("APP-041").requirements == ("CSM-16.1",)
    assert rules.get("APP-042").requirements == ("CSM-16.4",)
    for rule_id in ("APP-041", "APP-042"):
        rule = rules.get(rule_id)
        assert "CSM-17.1.3" not in rule.requirements
        assert "not the special-character filtering of Article 17.1(3)" in rule.rationale.en
        assert "good-practice" in rule.tags


def test_tls_on_public_endpoints_is_not_least_privilege_of_operations_staff(rules: RuleSet) -> None:
    transport = [r for r in rules.for_scanner("endpoint") if "CSM-5.3" in r.requirements]
    transport += [rules.get(i) for i in ("IAC-040", "IAC-041", "IAC-042", "IAC-043", "IAC-044")]
    assert len(transport) >= 20
    for rule in transport:
        assert "CSM-7.4" not in rule.requirements, rule.id
        assert "Not mapped to Article 7.4" in rule.rationale.en, rule.id
        assert "should (宜)" in rule.rationale.en, rule.id


_EN_REQUIRES = re.compile(r"(?:Article\s*[\d.()]+|CSM-[\d.]+|[Tt]he guideline)\s+(?:requires|asks)")
# "新興科技指引要求 …" names what the successor guideline requires, which is allowed.
_ZH_REQUIRES = re.compile(r"(?:第\s*\d+\s*條[^，。；]{0,8}|(?<!科技)(?<!資安)指引)要求")


def _clause_levels(catalog: Catalog, rule_requirements: tuple[str, ...]) -> set[Level]:
    levels: set[Level] = set()
    for requirement in rule_requirements:
        node = catalog.node(requirement)
        assert node.level is not None
        levels.add(node.level)
    return levels


def test_no_rule_on_a_should_clause_presents_it_as_required(rules: RuleSet, catalog: Catalog) -> None:
    """宜 is should: a rationale never says a should clause (or the 宜 part of CSM-5.3) 'requires' anything."""
    for rule in rules.rules:
        levels = _clause_levels(catalog, rule.requirements)
        on_should = levels == {Level.SHOULD} or set(rule.requirements) == {"CSM-5.3"}
        if not on_should:
            continue
        assert not _EN_REQUIRES.search(rule.rationale.en), (rule.id, rule.rationale.en)
        assert not _ZH_REQUIRES.search(rule.rationale.zh_tw), (rule.id, rule.rationale.zh_tw)
        assert "應" not in rule.rationale.zh_tw.replace("對應", "").replace("因應", "").replace("應用", ""), rule.id
