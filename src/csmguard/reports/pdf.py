"""The PDF report: the HTML report's print variant laid out by WeasyPrint, CJK font embedded."""

from __future__ import annotations

from csmguard.reports.html import render_html
from csmguard.reports.model import Report


def render_pdf(report: Report) -> bytes:
    """The report as PDF bytes (A4). The CSS names "Noto Sans CJK TC" (Debian fonts-noto-cjk) first so
    Chinese text renders with it and the font is embedded (subset) in the file."""
    from weasyprint import HTML  # imported here: loading WeasyPrint takes a moment and is only needed for PDF

    pdf = HTML(string=render_html(report, for_pdf=True)).write_pdf()
    assert pdf is not None
    return bytes(pdf)
