from __future__ import annotations

import pytest

from csmguard.catalog.loader import parse_catalog
from csmguard.catalog.model import Catalog, NodeKind
from csmguard.catalog.source_text import normalize, source_text, split_provisions
from csmguard.domain import Level
from csmguard.domain.errors import InputError
from csmguard.services.catalog import verify_catalog_text


def test_every_provision_of_the_text_is_verbatim_in_exactly_one_node(catalog: Catalog) -> None:
    provisions = split_provisions(source_text("csm-17"))
    assert len(provisions) == 58
    for provision in provisions:
        holders = [n for n in catalog.provisions() if n.text and normalize(n.text.zh_tw) == normalize(provision.text)]
        assert [n.id for n in holders] == [provision.id]
        node = holders[0]
        assert node.text is not None and len(node.text.en) > 10
        assert node.level is not None
    assert sum(1 for _ in catalog.provisions()) == 58
    assert verify_catalog_text(catalog) == []


def test_definition_scope_and_purpose_levels(catalog: Catalog) -> None:
    expected = {"CSM-1": Level.PURPOSE, "CSM-2": Level.DEFINITION, "CSM-3.2": Level.SCOPE, "CSM-8": Level.DEFINITION,
                "CSM-9": Level.SCOPE, "CSM-12.1": Level.DEFINITION, "CSM-12.2": Level.DEFINITION,
                "CSM-13": Level.SCOPE}
    for node_id, level in expected.items():
        assert catalog.node(node_id).level is level, node_id
    non_assessed = {n.id for n in catalog.provisions() if not n.is_requirement}
    assert non_assessed == set(expected)


def test_levels_follow_the_modal_words(catalog: Catalog) -> None:
    assert catalog.node("CSM-4.1").level is Level.SHALL
    assert catalog.node("CSM-5.2").level is Level.SHOULD
    assert catalog.node("CSM-14.4.3").level is Level.SHOULD
    assert catalog.node("CSM-14.5").level is Level.SHALL
    mixed = catalog.node("CSM-4.3")
    assert mixed.level is Level.SHALL
    assert [c.level for c in mixed.weaker_clauses] == [Level.MAY]


def test_requirements_have_evidence_mappings_and_scope(catalog: Catalog) -> None:
    frameworks = {f.id for f in catalog.frameworks}
    for node in catalog.requirements():
        assert node.evidence, node.id
        assert node.mappings, node.id
        assert all(m.framework in frameworks for m in node.mappings)
        assert node.actor is not None and node.check is not None
    assert [c.question for c in catalog.node("CSM-17.2").applies_when] == ["publishes_mobile_apps", "has_app_source"]
    assert catalog.node("CSM-17.2").applies_when[1].answer is False


def test_structure_parents_and_kinds(catalog: Catalog) -> None:
    item = catalog.node("CSM-14.4.3")
    assert item.kind is NodeKind.ITEM and item.parent == "CSM-14.4"
    assert catalog.node("CSM-14.4").parent == "CSM-14"
    article = catalog.node("CSM-14")
    assert article.kind is NodeKind.ARTICLE and article.text is None and article.parent is None
    assert catalog.node("CSM-1").text is not None
    assert len(catalog.article_ids()) == 17


def test_a_malformed_catalog_names_the_field() -> None:
    bad = """
edition: x
title: {zh-TW: t, en: t}
publisher: {zh-TW: p, en: p}
frameworks: []
questions: []
chapters:
  - number: 1
    title: {zh-TW: 總則, en: General}
    domain: general
    articles:
      - number: 1
        title: {zh-TW: 目的, en: Purpose}
        text: {zh-TW: 文字, en: text}
        level: sometimes
        actor: organization
        check: manual
"""
    with pytest.raises(InputError) as info:
        parse_catalog(bad, source="bad.yaml")
    assert info.value.file == "bad.yaml"
    assert info.value.field == "chapters[0].articles[0].level"


def test_check_method_agrees_with_the_rules_that_exist() -> None:
    """A requirement some rule tests is not 'manual'; one claimed automated or hybrid has rules (its own
    or, for a lead-in paragraph, its items')."""
    from csmguard.services.catalog import open_catalog

    view = open_catalog("csm-17")
    coverage = view.coverage
    for node in view.catalog.requirements():
        own = coverage.get(node.id, [])
        items = [rule for child in view.catalog.children(node.id) for rule in coverage.get(child.id, [])]
        assert node.check is not None
        if own:
            assert node.check.value != "manual", f"{node.id} is tested by {own} but says manual"
        if node.check.value != "manual":
            assert own or items, f"{node.id} says {node.check.value} but no rule tests it"
