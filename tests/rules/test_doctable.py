"""The rule tables in the docs are the ones the rule YAML renders (python -m csmguard.rules.doctable):
one per scanner, between its markers, with every active rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from csmguard.catalog.loader import load_catalog
from csmguard.rules.doctable import DOCS, current_table, main, render, update
from csmguard.rules.loader import RuleSet, load_rules
from csmguard.rules.model import SCANNER_FAMILIES

ROOT = Path(__file__).parents[2]
RULES: RuleSet = load_rules(load_catalog("csm-17"))


@pytest.mark.parametrize("scanner", sorted(SCANNER_FAMILIES))
def test_docs_rule_table_is_current(scanner: str) -> None:
    table = current_table((ROOT / "docs" / DOCS[scanner]).read_text(encoding="utf-8"), scanner)
    assert table == render(RULES, scanner), "run: python -m csmguard.rules.doctable"
    assert all(f"| {rule.id} |" in table for rule in RULES.for_scanner(scanner))


def test_iac_table_lists_resource_types_and_equivalents() -> None:
    row = next(line for line in render(RULES, "iac").splitlines() if line.startswith("| IAC-001 |"))
    assert "`aws_ebs_volume`" in row and "CKV_AWS_3" in row


def test_check_reports_a_stale_table_and_a_rewrite_fixes_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "docs").mkdir()
    for name in set(DOCS.values()):
        (tmp_path / "docs" / name).write_text((ROOT / "docs" / name).read_text(encoding="utf-8"), encoding="utf-8")
    path = tmp_path / "docs" / DOCS["iac"]
    path.write_text(update(path.read_text(encoding="utf-8"), "iac", "| Rule |\n|---|\n"), encoding="utf-8")
    assert main(["--check", str(tmp_path)]) == 1
    assert "stale: iac" in capsys.readouterr().out
    assert main([str(tmp_path)]) == 0
    assert main(["--check", str(tmp_path)]) == 0


def test_a_document_without_markers_is_an_error() -> None:
    with pytest.raises(ValueError, match="no '<!-- rules:iac:start"):
        current_table("# no table here\n", "iac")
