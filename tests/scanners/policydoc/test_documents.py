"""Real DOCX (python-docx) and PDF (WeasyPrint, Noto Sans CJK) documents in zh-TW and English."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from csmguard.cli.main import app
from csmguard.domain import FindingStatus, ScanResult
from csmguard.rules.loader import RuleSet
from csmguard.scanners.policydoc.facts import DocumentKind
from csmguard.services.policydoc_scan import load_policydoc_rules, scan_policydocs

SOCIAL_POLICY = [
    ("h", "範例證券股份有限公司 社群媒體使用政策"),
    ("p", "第一條 員工僅得於社群媒體分享本公司已公開之業務資訊，不得分享客戶資料或未公開之營業機密。"),
    ("p", "第二條 員工以個人帳號發言時不得代表公司；官方帳號僅由授權人員以公司名義經營。"),
    ("p", "第三條 開放使用之社群媒體，其風險包括資料外洩、社交工程（如釣魚訊息）及惡意程式攻擊。"),
    ("p", "第四條 本公司每年辦理社群媒體教育訓練及宣導，並對網路流量進行內容過濾及監控。"),
    ("p", "第五條 所有公務電腦均安裝防毒軟體。"),
]

MOBILE_POLICY_HTML = """<html lang="zh-Hant"><head><meta charset="utf-8">
<style>body { font-family: "Noto Sans CJK TC", sans-serif; }</style></head><body>
<h1>範例證券 行動裝置管理規範</h1>
<p>一、員工申請公務行動裝置須經單位主管核准，並登錄於設備清冊。</p>
<p>二、行動裝置之作業系統應於廠商公告後三十日內完成更新。</p>
<p>三、員工離職或調職時，應繳回行動裝置，由資訊單位清除配置後重新配置。</p>
<p>四、行動裝置應設定六位數以上之密碼，遺失時由資訊單位以遠端方式刪除資料。</p>
</body></html>"""


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return load_policydoc_rules()


def _status(result: ScanResult) -> dict[str, str]:
    return {f.rule_id: f.status.value for f in result.findings}


def test_docx_social_media_policy_in_chinese(tmp_path: Path, rules: RuleSet) -> None:
    document = docx.Document()
    for style, content in SOCIAL_POLICY:
        if style == "h":
            document.add_heading(content, level=1)
        else:
            document.add_paragraph(content)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "版本"
    table.rows[0].cells[1].text = "2026 年 1 月"
    path = tmp_path / "social-media-policy.docx"
    document.save(str(path))
    result = scan_policydocs([path], rules)
    assert result.errors == ()
    assert _status(result) == {f"DOC-00{i}": "pass" for i in range(1, 9)}
    shared = next(f for f in result.findings if f.rule_id == "DOC-001")
    assert shared.evidence["where"] == "paragraph 2" and "分享" in str(shared.evidence["quote"])
    assert len(str(shared.evidence["quote"])) <= 162
    assert result.stats["documents"] == [{"path": str(path), "format": "docx", "language": "zh-TW",
                                          "kind": "social-media-policy", "kind_source": "detected",
                                          "paragraphs": 7}]


def test_pdf_mobile_device_policy_reports_what_is_missing(tmp_path: Path, rules: RuleSet) -> None:
    from weasyprint import HTML

    path = tmp_path / "mobile.pdf"
    HTML(string=MOBILE_POLICY_HTML).write_pdf(str(path))
    result = scan_policydocs([path], rules)
    assert result.errors == ()
    status = _status(result)
    assert sorted(k for k, v in status.items() if v == "pass") == [
        "DOC-010", "DOC-012", "DOC-013", "DOC-014", "DOC-016", "DOC-019"]
    assert sorted(k for k, v in status.items() if v == "fail") == [
        "DOC-011", "DOC-015", "DOC-017", "DOC-018", "DOC-020", "DOC-021", "DOC-022", "DOC-023"]
    returned = next(f for f in result.findings if f.rule_id == "DOC-013")
    assert returned.evidence["where"] == "page 1" and "繳回" in str(returned.evidence["quote"])


def test_english_byod_agreement_in_markdown(tmp_path: Path, rules: RuleSet) -> None:
    path = tmp_path / "byod.md"
    path.write_text(
        "# Bring Your Own Device (BYOD) Agreement\n\n"
        "1. The device may be used only for the purpose of reading work e-mail and the trading app.\n\n"
        "2. This agreement is valid for a period of twelve months and is reviewed before renewal.\n\n"
        "3. The company is responsible for installing the management profile and keeps personal data private.\n",
        encoding="utf-8")
    result = scan_policydocs([path], rules)
    assert _status(result) == {"DOC-030": "pass", "DOC-031": "pass", "DOC-032": "fail", "DOC-033": "pass",
                               "DOC-034": "fail"}
    assert result.stats["documents"][0]["language"] == "en"  # type: ignore[index]


def test_kind_option_overrides_detection_and_unknown_kind_is_an_error(tmp_path: Path, rules: RuleSet) -> None:
    path = tmp_path / "memo.txt"
    path.write_text("本文件自公告日起施行。\n", encoding="utf-8")
    undecided = scan_policydocs([path], rules)
    assert undecided.findings == () and "use --kind" in undecided.errors[0].message
    forced = scan_policydocs([path], rules, DocumentKind.BYOD_AGREEMENT)
    assert {f.rule_id for f in forced.findings} == {"DOC-030", "DOC-031", "DOC-032", "DOC-033", "DOC-034"}
    assert all(f.status is FindingStatus.FAIL for f in forced.findings)


def test_unreadable_documents_are_errors_and_the_run_goes_on(tmp_path: Path, rules: RuleSet) -> None:
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    empty_pdf = tmp_path / "scan.pdf"
    empty_pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
    good = tmp_path / "policy.md"
    good.write_text("# 社群媒體使用政策\n\n每年辦理教育訓練。\n", encoding="utf-8")
    result = scan_policydocs([broken, empty_pdf, good], rules)
    assert sorted(e.path for e in result.errors) == sorted([str(broken), str(empty_pdf)])
    assert _status(result)["DOC-006"] == "pass"
    assert result.stats["read"] == 3 and result.stats["evaluated"] == 1 and result.stats["rejected"] == 2


def test_cli_json_and_exit_code(tmp_path: Path) -> None:
    path = tmp_path / "policy.md"
    path.write_text("# 社群媒體使用政策\n\n每年辦理教育訓練。\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["scan", "policydoc", str(path), "-f", "json", "-q"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert {f["rule_id"]: f["status"] for f in data["findings"]}["DOC-006"] == "pass"
    english = CliRunner().invoke(app, ["scan", "policydoc", str(path), "--kind", "social-media-policy",
                                       "--lang", "en", "--fail-on", "never"])
    assert english.exit_code == 0 and "missing" in english.stdout


def test_big5_text_is_read_and_binary_junk_is_an_error(tmp_path: Path, rules: RuleSet) -> None:
    big5 = tmp_path / "policy.txt"
    big5.write_bytes("社群媒體使用政策\n\n每年辦理教育訓練。\n".encode("cp950"))
    junk = tmp_path / "junk.txt"
    junk.write_bytes(b"\xff\xfe\x00\x81\x00\xff" * 10)
    result = scan_policydocs([big5, junk], rules)
    assert _status(result)["DOC-006"] == "pass"
    assert [e.path for e in result.errors] == [str(junk)] and "neither UTF-8 nor Big5" in result.errors[0].message
