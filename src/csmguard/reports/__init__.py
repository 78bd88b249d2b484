"""Reports of an assessment: one report model (model.py), one module per format, templates/."""

from __future__ import annotations

from enum import StrEnum

from csmguard.reports.model import Report, build_report


class ReportFormat(StrEnum):
    """The formats ``csmguard report`` writes."""

    HTML = "html"
    PDF = "pdf"
    XLSX = "xlsx"
    JSON = "json"
    OSCAL = "oscal"

    @property
    def suffix(self) -> str:
        """The usual file name ending."""
        return {"oscal": ".oscal.json"}.get(self.value, f".{self.value}")


def render(report: Report, fmt: ReportFormat) -> bytes:
    """``report`` written in ``fmt``."""
    if fmt is ReportFormat.HTML:
        from csmguard.reports.html import render_html
        return render_html(report).encode("utf-8")
    if fmt is ReportFormat.PDF:
        from csmguard.reports.pdf import render_pdf
        return render_pdf(report)
    if fmt is ReportFormat.XLSX:
        from csmguard.reports.xlsx import render_xlsx
        return render_xlsx(report)
    if fmt is ReportFormat.JSON:
        from csmguard.reports.json_report import render_json
        return render_json(report)
    from csmguard.reports.oscal import render_oscal
    return render_oscal(report)


__all__ = ["Report", "ReportFormat", "build_report", "render"]
