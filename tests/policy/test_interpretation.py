"""docs/interpretation.md covers all 58 provisions and stays in step with the rules and settings."""

from __future__ import annotations

import re
from pathlib import Path

from csmguard.catalog.loader import load_catalog
from csmguard.policy.interpretation import render_interpretation
from csmguard.policy.settings import setting_specs
from csmguard.rules.loader import load_rules

DOC = Path(__file__).resolve().parents[2] / "docs" / "interpretation.md"


def test_the_committed_file_is_current() -> None:
    catalog = load_catalog()
    expected = render_interpretation(catalog, load_rules(catalog))
    assert DOC.read_text(encoding="utf-8") == expected, (
        "docs/interpretation.md is stale: python -m csmguard.policy.interpretation > docs/interpretation.md")


def test_every_provision_rule_and_setting_is_named_under_its_provision() -> None:
    text = DOC.read_text(encoding="utf-8")
    sections = {m.group(1): m.group(0) for m in re.finditer(r"^## (CSM-[\d.]+) .*?(?=^## |\Z)", text, re.M | re.S)}
    catalog = load_catalog()
    assert len(sections) == 58 and set(sections) == {n.id for n in catalog.nodes if n.text is not None}
    for rule in load_rules(catalog).rules:
        for requirement in rule.requirements:
            assert f"`{rule.id}`" in sections[requirement], (rule.id, requirement)
    for spec in setting_specs():
        assert f"`{spec.name}`" in sections[spec.requirement], spec.name
