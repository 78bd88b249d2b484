"""Report use cases: write a saved (or fresh) assessment as HTML, PDF, XLSX, JSON or OSCAL."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from csmguard.catalog.loader import load_catalog
from csmguard.domain import Lang
from csmguard.reports import ReportFormat, build_report, render
from csmguard.services.assessment import SavedAssessment, load_assessment
from csmguard.workspace import Workspace


def report_bytes(saved: SavedAssessment, fmt: ReportFormat, lang: Lang) -> bytes:
    """``saved`` written as a report in ``fmt`` and ``lang``."""
    catalog = load_catalog(saved.result.edition)
    return render(build_report(saved.result, catalog, lang, assessment_id=saved.id), fmt)


def workspace_report(ws: Workspace, fmt: ReportFormat, lang: Lang, assessment: str = "latest") -> bytes:
    """The report of a saved assessment of the workspace (``latest`` by default)."""
    return report_bytes(load_assessment(ws, assessment), fmt, lang)


def write_reports(saved: SavedAssessment, folder: Path, lang: Lang, *, stem: str = "csmguard-report",
                  formats: Iterable[ReportFormat] = tuple(ReportFormat)) -> dict[ReportFormat, Path]:
    """Write one report per format into ``folder`` (created); returns the paths by format."""
    folder.mkdir(parents=True, exist_ok=True)
    catalog = load_catalog(saved.result.edition)
    report = build_report(saved.result, catalog, lang, assessment_id=saved.id)
    paths: dict[ReportFormat, Path] = {}
    for fmt in formats:
        path = folder / f"{stem}{fmt.suffix}"
        path.write_bytes(render(report, fmt))
        paths[fmt] = path
    return paths
