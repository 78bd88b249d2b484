"""Report use cases: write a saved (or fresh) assessment as HTML, PDF, XLSX, JSON or OSCAL, with its
sign-off block and dates in the style asked for (ISO or 民國)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from csmguard.catalog.loader import load_catalog
from csmguard.dates import DateStyle
from csmguard.domain import Lang
from csmguard.domain.signoff import Signature
from csmguard.reports import ReportFormat, build_report, render
from csmguard.services.assessment import SavedAssessment, load_assessment
from csmguard.services.signoff import signatures as signatures_of
from csmguard.workspace import Workspace


def report_bytes(saved: SavedAssessment, fmt: ReportFormat, lang: Lang, *, signatures: Sequence[Signature] = (),
                 date_style: DateStyle = DateStyle.ISO) -> bytes:
    """``saved`` written as a report in ``fmt`` and ``lang``, with its sign-off ``signatures``."""
    catalog = load_catalog(saved.result.edition)
    return render(build_report(saved.result, catalog, lang, assessment_id=saved.id, signatures=signatures,
                               date_style=date_style), fmt)


def workspace_report(ws: Workspace, fmt: ReportFormat, lang: Lang, assessment: str = "latest", *,
                     date_style: DateStyle = DateStyle.ISO) -> bytes:
    """The report of a saved assessment of the workspace (``latest`` by default), with its sign-off."""
    saved = load_assessment(ws, assessment)
    assert saved.id is not None
    return report_bytes(saved, fmt, lang, signatures=signatures_of(ws, saved.id), date_style=date_style)


def write_reports(saved: SavedAssessment, folder: Path, lang: Lang, *, stem: str = "csmguard-report",
                  formats: Iterable[ReportFormat] = tuple(ReportFormat),
                  date_style: DateStyle = DateStyle.ISO) -> dict[ReportFormat, Path]:
    """Write one report per format into ``folder`` (created); returns the paths by format."""
    folder.mkdir(parents=True, exist_ok=True)
    catalog = load_catalog(saved.result.edition)
    report = build_report(saved.result, catalog, lang, assessment_id=saved.id, date_style=date_style)
    paths: dict[ReportFormat, Path] = {}
    for fmt in formats:
        path = folder / f"{stem}{fmt.suffix}"
        path.write_bytes(render(report, fmt))
        paths[fmt] = path
    return paths
