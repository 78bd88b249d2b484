"""The XLSX workbook: summary, chapters, statement of applicability, requirements, findings, evidence.
Every row goes through :func:`csmguard.cells.append_row`: no text (an attestation's statement, a
finding's message …) can become a formula."""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from csmguard.cells import append_row
from csmguard.domain import Lang
from csmguard.reports.basis import basis_sections
from csmguard.reports.model import GroupRow, Report

_SHEETS = {
    "summary": ("摘要", "Summary"),
    "groups": ("各章各領域", "Chapters and domains"),
    "soa": ("適用性聲明", "Applicability"),
    "requirements": ("條文評估", "Requirements"),
    "findings": ("未結發現", "Open findings"),
    "basis": ("依據別之發現", "Findings by basis"),
    "evidence": ("佐證資料", "Evidence"),
    "records": ("聲明與例外", "Attestations and exceptions"),
    "integrity": ("佐證完整性", "Evidence integrity"),
    "scans": ("檢測紀錄", "Recorded scans"),
}


def _title(key: str, lang: Lang) -> str:
    zh, en = _SHEETS[key]
    return zh if lang is Lang.ZH_TW else en


def _header(ws: Worksheet, headers: Sequence[str], widths: Sequence[int]) -> None:
    append_row(ws, list(headers))
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="EEF3F7")
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[ws.cell(row=1, column=index).column_letter].width = width
    ws.freeze_panes = "A2"


def _groups(ws: Worksheet, report: Report, kind: str, rows: Sequence[GroupRow]) -> None:
    for g in rows:
        append_row(ws, [kind, g.key, g.title, g.status.label, *g.counts, g.total, g.score, g.coverage])


def _basis_sheet(ws: Worksheet, report: Report) -> None:
    """(a) text non-conformities, (b) firm-policy findings, (c) good-practice findings, (d) unconfirmed defaults."""
    basis = report.basis or basis_sections(report.result, report.lang)
    B, L = basis.words, report.labels
    _header(ws, [B["basis_heading"], L["requirement"], L["rule"], L["severity"], L["finding"], L["target"],
                 B["adopted"]], [34, 13, 10, 8, 70, 30, 24])
    for key in ("nonconformities", "policy_findings", "practice_findings"):
        rows = getattr(basis, key)
        if not rows:
            ws.append([B[key], B["none"]])
        for f in rows:
            adopted = (B["adopted_yes"] if f.decides else B["adopted_no"]) if key == "practice_findings" else ""
            ws.append([B[key], f.requirement, f.rule_id, f.severity_label, f"{f.title}: {f.message}", f.target,
                       adopted])
    ws.append([])
    ws.append([B["unconfirmed"], B["setting"], B["value"], B["default"], B["duty"], L["rule"]])
    for s in basis.unconfirmed:
        ws.append([B["unconfirmed"], s.name, s.value, s.default, s.duty, s.rules])
    ws.append([])
    for a in basis.adopted:
        ws.append([B["adopted"], a.rule_id, a.by, a.on])


def render_xlsx(report: Report) -> bytes:
    """The workbook as bytes."""
    L, lang = report.labels, report.lang
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _title("summary", lang)
    for key, value in ((L["report_title"], report.catalog_title), (L["organization"], report.organization),
                       (L["edition"], report.edition),
                       (L["assessed_on"], report.assessed_on_display or report.assessed_on),
                       (L["generated_at"], report.generated_at_display or report.generated_at),
                       (L["generator"], report.generator),
                       (L["score"], report.overall.score), (L["coverage"], report.overall.coverage),
                       (L["summary"], report.summary)):
        append_row(ws, [key, value])
    for status, count in zip(report.statuses, report.overall.counts, strict=True):
        append_row(ws, [status.label, count])
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 100
    for row in ws.iter_rows():
        row[0].font = Font(bold=True)
        row[1].alignment = Alignment(wrap_text=True, vertical="top")

    groups = wb.create_sheet(_title("groups", lang))
    _header(groups, ["", "ID", L["chapter"], L["status"], *(s.label for s in report.statuses), L["total"],
                     L["score"], L["coverage"]], [10, 10, 40, 14, 10, 10, 10, 10, 10, 8, 10, 10])
    _groups(groups, report, L["chapter"], report.chapters)
    _groups(groups, report, L["domain"], report.domains)
    _groups(groups, report, L["article"], report.articles)
    _groups(groups, report, L["total"], [report.overall])

    soa = wb.create_sheet(_title("soa", lang))
    _header(soa, [L["requirement"], L["level"], L["applicable"], L["justification"], L["status"]], [13, 8, 10, 80, 14])
    for q in report.requirements:
        append_row(soa, [q.id, q.level_label, q.applies_label, q.justification, q.status.label])

    reqs = wb.create_sheet(_title("requirements", lang))
    _header(reqs, [L["requirement"], L["article"], L["level"], L["status"], L["text"], L["reasons"],
                   L["rule"], "attestations", "exceptions"], [13, 24, 8, 14, 60, 80, 16, 14, 14])
    for q in report.requirements:
        append_row(reqs, [q.id, q.title, q.level_label, q.status.label, q.text, "\n".join(q.reasons),
                     ", ".join(q.passing_rules), ", ".join(q.attestation_ids), ", ".join(q.exception_ids)])
        for cell in reqs[reqs.max_row]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    findings = wb.create_sheet(_title("findings", lang))
    _header(findings, [L["requirement"], L["rule"], "fingerprint", L["severity"], L["finding"], L["target"],
                       L["location"], L["covered_by"]], [13, 10, 34, 8, 70, 30, 30, 14])
    for q in report.requirements:
        for f in q.findings:
            append_row(findings, [q.id, f.rule_id, f.fingerprint, f.severity_label, f"{f.title}: {f.message}",
                                  f.target, f.location, f.covered_by or ""])

    _basis_sheet(wb.create_sheet(_title("basis", lang)), report)

    evidence = wb.create_sheet(_title("evidence", lang))
    _header(evidence, [L["requirement"], L["evidence_name"], "SHA-256", "bytes", L["source"], L["integrity"]],
            [13, 36, 68, 10, 24, 30])
    for q in report.requirements:
        for e in q.evidence:
            append_row(evidence, [q.id, e.name, e.sha256, e.size, e.source, e.problem or ""])

    records = wb.create_sheet(_title("records", lang))
    _header(records, [L["requirement"], L["record_kind"], "ID", L["status"], L["by"], L["on"], L["expires_on"],
                      L["validity"], L["statement"], "SHA-256"], [13, 16, 38, 14, 16, 12, 12, 14, 60, 68])
    for x in report.records:
        append_row(records, [x.requirement, x.kind_label, x.id, x.status_label, x.by, x.on, x.expires_on,
                             x.validity, x.statement, "\n".join(x.evidence_sha256)])

    scans = wb.create_sheet(_title("scans", lang))
    _header(scans, ["ID", L["scanner"], L["subject"], L["recorded_at"], L["scan_state"], L["counted"], L["voided"]],
            [38, 12, 50, 18, 10, 30, 60])
    for line in report.scans:
        subject = f"{line.subject}\n{line.note}" if line.note else line.subject
        append_row(scans, [line.id, line.scanner, subject, line.recorded_at, line.state_label, line.counted_label,
                           line.voided])

    integrity = wb.create_sheet(_title("integrity", lang))
    _header(integrity, ["SHA-256", L["evidence_name"], L["problem"], L["requirement"], L["cited_by"], L["detail"]],
            [68, 30, 24, 16, 40, 60])
    if not report.integrity:
        append_row(integrity, [report.integrity_note])
    for item in report.integrity:
        append_row(integrity, [item.sha256, item.name, item.problem_label, "\n".join(item.requirements),
                               "\n".join(item.records), item.detail])

    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
