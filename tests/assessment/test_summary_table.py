"""The chapter summary table of ``assess`` and ``demo`` is readable on a 100-column terminal, in both languages."""

from __future__ import annotations

import pytest
from rich.console import Console

from csmguard.assessment import assess
from csmguard.catalog.loader import load_catalog
from csmguard.cli.assess_cmd import summary_table
from csmguard.domain import Lang
from tests.assessment.factory import ALL_YES, TODAY, attestation, finding


def _render(lang: Lang, width: int = 100) -> list[str]:
    result = assess(load_catalog(), ALL_YES, [finding("APP-001", "CSM-16.3")], [attestation("CSM-14.1")], [], TODAY)
    console = Console(width=width, record=True, color_system=None)
    console.print(summary_table(result, lang))
    return console.export_text().splitlines()


@pytest.mark.parametrize(("lang", "rows"), [
    (Lang.ZH_TW, ("第2章 雲端", "第3章 社群", "第4章 行動", "整體")),
    (Lang.EN, ("Ch. 2 Cloud", "Ch. 3 Social", "Ch. 4 Mobile", "Overall")),
])
def test_chapter_rows_have_short_labels_and_nothing_is_cut(lang: Lang, rows: tuple[str, ...]) -> None:
    lines = _render(lang)
    assert all(len(line) <= 100 for line in lines)
    assert not any("…" in line for line in lines)
    body = [line for line in lines if line.startswith("│")]
    assert [line.split("│")[1].strip() for line in body] == list(rows)
    # every row has its eight cells on one line: the columns stay aligned
    assert {line.count("│") for line in body} == {9}


def test_english_headers_wrap_to_two_lines() -> None:
    header = [line for line in _render(Lang.EN) if line.startswith("┃")]
    assert len(header) == 2
    assert "Partially" in header[0] and "Non-" in header[0] and "Not" in header[0]
    for word in ("Chapter", "Compliant", "compliant", "assessed", "applicable", "Score", "Coverage"):
        assert word in header[1]
