"""Every report format from one in-memory assessment: contents, Chinese in the PDF, OSCAL validity."""

from __future__ import annotations

import io
import json
import re
import subprocess
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from csmguard.assessment import AssessmentResult, assess
from csmguard.catalog.loader import load_catalog
from csmguard.domain import FindingStatus, Lang, Severity
from csmguard.domain.attestation import AttestedStatus
from csmguard.reports import ReportFormat, build_report, render
from csmguard.reports.charts import fit, stacked_bars, text_width
from csmguard.reports.html import css_string
from tests.assessment.factory import ALL_YES, TODAY, attestation, evidence, exception, finding

APP_FAIL = finding("APP-001", "CSM-16.3", severity=Severity.HIGH)


@pytest.fixture(scope="module")
def result() -> AssessmentResult:
    return assess(load_catalog(), ALL_YES,
                  [APP_FAIL, finding("APP-002", "CSM-16.1", FindingStatus.PASS), finding("REG-001", "CSM-4.3")],
                  [attestation("CSM-14.1"), attestation("CSM-11.1", AttestedStatus.PARTIALLY_IMPLEMENTED, att_id="A3"),
                   attestation("CSM-11.2", att_id="OLD-1", expires_on=date(2026, 9, 1))],
                  [exception("CSM-4.3")], TODAY)


def test_html_is_self_contained_and_has_every_section(result: AssessmentResult) -> None:
    html = render(build_report(result, load_catalog(), Lang.ZH_TW), ReportFormat.HTML).decode()
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert "<script" not in html and "<link" not in html
    for heading in ("摘要", "各章符合狀態", "適用性聲明", "聲明與例外", "各條文評估結果"):
        assert f">{heading}</h2>" in html
    assert html.count("<svg") == 2
    assert evidence().sha256 in html and "exception.pdf" in html
    assert APP_FAIL.fingerprint in html
    assert '<div class="req' in html and 'id="CSM-17.2"' in html
    expired = re.search(r'<tr class="expired"><td><a href="#CSM-11.2">CSM-11.2</a></td>(.*?)</tr>', html)
    assert expired and "已到期，不採計" in expired.group(1) and "2026-09-01" in expired.group(1)
    # statement of applicability: CSM-17.2 is not applicable because the firm has the app's source code
    row = re.search(r'<tr><td><a href="#CSM-17.2">CSM-17.2</a></td><td>應</td><td>否</td><td>(.*?)</td>', html)
    assert row and "能取得所發佈行動應用程式之原始碼" in row.group(1)
    # key gaps name the non-compliant shall requirement
    assert re.search(r'<li><a href="#CSM-16.3">CSM-16.3</a>', html)


def test_html_in_english(result: AssessmentResult) -> None:
    html = render(build_report(result, load_catalog(), Lang.EN), ReportFormat.HTML).decode()
    assert 'lang="en"' in html and ">Statement of applicability</h2>" in html and "Non-compliant" in html


def test_css_string_escapes_quotes_and_tags() -> None:
    assert str(css_string('a"b</style>')) == 'a\\"b\\3c /style\\3e '


def test_chart_segments_match_counts(result: AssessmentResult) -> None:
    report = build_report(result, load_catalog(), Lang.EN)
    svg = stacked_bars(report.chapters, report.statuses)
    mobile = next(c for c in report.chapters if c.key == "ch-4")
    for status, count in zip(report.statuses, mobile.counts, strict=True):
        if count:
            assert f"<title>{status.label}: {count}</title>" in svg


def test_chart_labels_are_cut_to_fit() -> None:
    long = "Ch. 2 Operational Security of Cloud Computing Services"
    cut = fit(long, 222)
    assert cut.endswith("…") and long.startswith(cut[:-1]) and text_width(cut) <= 222
    assert fit("第2章 雲端運算服務運作安全", 222) == "第2章 雲端運算服務運作安全"


def test_json_round_trips_the_assessment(result: AssessmentResult) -> None:
    data = json.loads(render(build_report(result, load_catalog(), Lang.ZH_TW), ReportFormat.JSON))
    assert data["report"]["key_gaps"] == ["CSM-16.3"]
    assert AssessmentResult.model_validate(data["assessment"]) == result


def test_xlsx_sheets(result: AssessmentResult) -> None:
    wb = load_workbook(io.BytesIO(render(build_report(result, load_catalog(), Lang.EN), ReportFormat.XLSX)))
    assert wb.sheetnames == ["Summary", "Chapters and domains", "Applicability", "Requirements", "Open findings",
                             "Findings by basis", "Evidence", "Attestations and exceptions", "Recorded scans",
                             "Evidence integrity"]
    records = {r[2]: r for r in wb["Attestations and exceptions"].iter_rows(min_row=2, values_only=True)}
    assert set(records) == {"ATT-1", "A3", "OLD-1", "EXC-1"}
    assert records["OLD-1"][7] == "Expired, not counted" and records["ATT-1"][7] == "Live"
    findings = [row for row in wb["Open findings"].iter_rows(min_row=2, values_only=True)]
    reg_fp = finding("REG-001", "CSM-4.3").fingerprint
    assert {(r[0], r[1], r[2]) for r in findings} == {("CSM-16.3", "APP-001", APP_FAIL.fingerprint),
                                                       ("CSM-4.3", "REG-001", reg_fp)}
    assert next(r for r in findings if r[0] == "CSM-4.3")[7] == "EXC-1"
    reqs = {r[0]: r[3] for r in wb["Requirements"].iter_rows(min_row=2, values_only=True)}
    assert reqs["CSM-16.3"] == "Non-compliant" and reqs["CSM-14.1"] == "Compliant"
    assert len(reqs) == len(result.requirements)
    ev = [r for r in wb["Evidence"].iter_rows(min_row=2, values_only=True)]
    assert ("CSM-14.1", "policy.pdf", evidence().sha256) in {(r[0], r[1], r[2]) for r in ev}


def test_oscal_assessment_results_validates_with_trestle(result: AssessmentResult) -> None:
    from trestle.oscal.assessment_results import Model

    data = json.loads(render(build_report(result, load_catalog(), Lang.EN), ReportFormat.OSCAL))
    model = Model.model_validate(data)
    ar = model.assessment_results
    findings = {f.target.target_id: f for f in ar.results[0].findings or []}
    assert len(findings) == len(result.requirements)
    assert findings["csm-16.3_smt"].target.status.state.value == "not-satisfied"
    assert findings["csm-14.1_smt"].target.status.state.value == "satisfied"
    observations = {o.uuid: o for o in ar.results[0].observations or []}
    related = [observations[r.observation_uuid] for r in findings["csm-14.1_smt"].related_observations or []]
    assert any(ev.description.endswith(f"(SHA-256 {evidence().sha256})") for o in related
               for ev in o.relevant_evidence or [])
    hashes = {r.rlinks[0].hashes[0].value for r in ar.back_matter.resources or [] if r.rlinks}  # type: ignore[union-attr]
    assert evidence().sha256 in hashes


@pytest.mark.slow
def test_pdf_has_chinese_text_embedded_font_and_renders(result: AssessmentResult, tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(render(build_report(result, load_catalog(), Lang.ZH_TW), ReportFormat.PDF))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    assert "資訊安全管控指引符合性評估報告" in text
    assert "範例證券股份有限公司" in text and "適用性聲明" in text
    fonts = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert re.search(r"Noto-Sans-CJK-TC\s.*\byes\s+yes\b", fonts)
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
                   check=True)
    png = next(tmp_path.glob("page*.png"))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5000
