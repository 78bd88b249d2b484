"""Issue #13: reports show (a) non-conformities with the text apart from (b) firm-policy findings and (c)
good-practice findings, and (d) the defaults the firm has not confirmed, in HTML, XLSX and PDF."""

from __future__ import annotations

import io
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from csmguard.assessment import AdoptedPractice, AssessmentResult, SettingNote, assess
from csmguard.catalog.loader import load_catalog
from csmguard.domain import Basis, Finding, Lang, Level, text
from csmguard.reports import ReportFormat, build_report, render
from tests.assessment.factory import ALL_YES, TODAY, finding


def _on(f: Finding, basis: Basis, level: Level = Level.SHALL) -> Finding:
    return f.model_copy(update={"basis": basis, "level": level})


@pytest.fixture(scope="module")
def result() -> AssessmentResult:
    findings = [
        _on(finding("REG-006", "CSM-7.6", target="svc"), Basis.TEXT),
        _on(finding("REG-001", "CSM-4.3", target="prov"), Basis.FIRM_POLICY),
        _on(finding("REG-016", "CSM-14.3", target="PH-1"), Basis.GOOD_PRACTICE),
        _on(finding("SOC-003", "CSM-11.4", target="line"), Basis.GOOD_PRACTICE),
    ]
    assessed = assess(load_catalog(), ALL_YES, findings, [], [], TODAY, adopted_practices=frozenset({"SOC-003"}))
    return assessed.model_copy(update={
        "unconfirmed_settings": (SettingNote(
            name="device_wipe_days", value=7, default=7, is_default=True, confirmed=False, requirement="CSM-14.2",
            duty=text("CSM-14.2「組織人員異動時，應進行重新配置或清除配置程序」：天數", "CSM-14.2: days"),
            rules=("REG-010",)),),
        "adopted_practices": (AdoptedPractice(rule_id="SOC-003", adopted_by="資安長",
                                              adopted_at=datetime(2026, 11, 1, tzinfo=UTC)),)})


def test_findings_are_listed_under_their_basis(result: AssessmentResult) -> None:
    basis = build_report(result, load_catalog(), Lang.ZH_TW).basis
    assert basis is not None
    assert [(f.requirement, f.rule_id) for f in basis.nonconformities] == [("CSM-7.6", "REG-006")]
    assert [(f.requirement, f.rule_id) for f in basis.policy_findings] == [("CSM-4.3", "REG-001")]
    assert {(f.rule_id, f.decides) for f in basis.practice_findings} == {("REG-016", False), ("SOC-003", True)}
    assert [s.name for s in basis.unconfirmed] == ["device_wipe_days"]
    assert [a.rule_id for a in basis.adopted] == ["SOC-003"]


def test_html_and_xlsx_show_the_four_lists(result: AssessmentResult) -> None:
    html = render(build_report(result, load_catalog(), Lang.ZH_TW), ReportFormat.HTML).decode()
    for words in ("(a) 指引條文之不符合事項 (1)", "(b) 公司政策之發現", "(c) 良好實務之發現 (2)",
                  "(d) 公司尚未確認之預設值 (1)", "device_wipe_days", "未採行（僅供參考）", "已採行（判定條文）"):
        assert words in html, words
    wb = load_workbook(io.BytesIO(render(build_report(result, load_catalog(), Lang.EN), ReportFormat.XLSX)))
    rows = list(wb["Findings by basis"].iter_rows(min_row=2, values_only=True))
    assert ("(a) Non-conformities with the guideline's text", "CSM-7.6", "REG-006") in {r[:3] for r in rows}
    assert any(r[0] == "(d) Defaults the firm has not confirmed" and r[1] == "device_wipe_days" for r in rows)


def test_pdf_shows_the_unconfirmed_defaults(result: AssessmentResult, tmp_path: Path) -> None:
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(render(build_report(result, load_catalog(), Lang.ZH_TW), ReportFormat.PDF))
    out = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    assert "公司尚未確認之預設值" in out and "device_wipe_days" in out
