from __future__ import annotations

from csmguard.catalog.source_text import normalize, source_text, split_provisions


def test_the_text_has_58_provisions_with_the_expected_ids() -> None:
    provisions = split_provisions(source_text("csm-17"))
    ids = [p.id for p in provisions]
    assert len(ids) == 58
    assert len(set(ids)) == 58
    assert ids[:4] == ["CSM-1", "CSM-2", "CSM-3.1", "CSM-3.2"]
    assert "CSM-14.4.7" in ids and "CSM-10.1.2" in ids and "CSM-17.1.3" in ids and ids[-1] == "CSM-17.2"
    assert {"CSM-8", "CSM-9", "CSM-13"} <= set(ids)


def test_paragraph_and_item_texts_lose_their_numbering_and_markers() -> None:
    by_id = {p.id: p.text for p in split_provisions(source_text("csm-17"))}
    assert by_id["CSM-10.1.1"] == "界定可於社群媒體上分享之業務相關資料。"
    assert by_id["CSM-17.1.3"] == "行動應用程式宜完整定義特殊符號篩選機制。"
    assert by_id["CSM-4.1"].startswith("雲端服務使用者應事先評估")
    assert "bookmark" not in "".join(by_id.values())


def test_normalize_removes_all_white_space() -> None:
    assert normalize(" 第 1 條\t（目的）\u3000\n") == "第1條（目的）"
