"""The table of exported types in docs/iac-scanner.md is the one the mapping tables render
(python -m bench.iac.exporttable)."""

from __future__ import annotations

from bench.iac.exporttable import DOC, current_table, render


def test_docs_export_table_is_current() -> None:
    assert current_table(DOC.read_text(encoding="utf-8")) == render(), "run: python -m bench.iac.exporttable"
