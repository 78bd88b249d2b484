"""The IAC rule table in docs/iac-scanner.md is the one the rule YAML renders (python -m bench.iac.doctable)."""

from __future__ import annotations

from bench.iac.doctable import DOC, current_table, render

from csmguard.services.iac_scan import load_iac_rules


def test_docs_rule_table_is_current() -> None:
    rules = load_iac_rules()
    table = current_table(DOC.read_text(encoding="utf-8"))
    assert table == render(rules), "run: python -m bench.iac.doctable"
    assert all(f"| {rule.id} |" in table for rule in rules.for_scanner("iac"))
