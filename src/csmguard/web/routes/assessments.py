"""Assessments (run, list, view, diff) and report downloads (services.assessment / services.reports)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response

from csmguard.assessment.model import STATUS_ORDER
from csmguard.auth.roles import Permission
from csmguard.dates import DateStyle
from csmguard.domain.errors import InputError
from csmguard.domain.signoff import ORDER
from csmguard.reports import ReportFormat
from csmguard.services import assessment as assessments
from csmguard.services import reports, signoff
from csmguard.services.workspace import list_assessments
from csmguard.web.deps import Principal, Require, render, request_lang
from csmguard.web.routes.common import record_change
from csmguard.web.state import app_state

router = APIRouter()
Viewer = Annotated[Principal, Depends(Require(Permission.VIEW))]
Editor = Annotated[Principal, Depends(Require(Permission.EDIT_COMPLIANCE))]
REPORT_MEDIA = {ReportFormat.HTML: "text/html; charset=utf-8", ReportFormat.PDF: "application/pdf",
                ReportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ReportFormat.JSON: "application/json", ReportFormat.OSCAL: "application/json"}


@router.get("/assessments")
def assessment_list(request: Request, _principal: Viewer) -> Response:
    """Every saved assessment, newest first, with a diff picker."""
    saved = list_assessments(app_state(request).workspace)
    return render(request, "assessments.html", saved=saved)


@router.post("/assessments")
def run_assessment(request: Request, principal: Editor) -> Response:
    """Assess the workspace now and save the result."""
    saved = assessments.run_assessment(app_state(request).workspace)
    assert saved.id is not None
    record_change(request, principal, "assessment.run", "assessment", saved.id, None,
                  assessments.summary_of(saved.result))
    return RedirectResponse(f"/assessments/{saved.id}", status_code=303)


@router.get("/assessments/diff")
def assessment_diff(request: Request, _principal: Viewer, a: Annotated[str, Query(max_length=40)],
                    b: Annotated[str, Query(max_length=40)]) -> Response:
    """What changed between two saved assessments (``a`` the older)."""
    try:
        a_id, b_id, diff = assessments.diff_saved(app_state(request).workspace, a, b)
    except InputError as error:
        raise HTTPException(404) from error
    return render(request, "assessment_diff.html", a_id=a_id, b_id=b_id, diff=diff)


@router.get("/assessments/{assessment_id}")
def assessment_view(request: Request, _principal: Viewer, assessment_id: str) -> Response:
    """One saved assessment: every requirement's status."""
    try:
        saved = assessments.load_assessment(app_state(request).workspace, assessment_id)
    except InputError as error:
        raise HTTPException(404) from error
    assert saved.id is not None
    signed = signoff.signatures(app_state(request).workspace, saved.id)
    return render(request, "assessment.html", saved=saved, result=saved.result, statuses=STATUS_ORDER,
                  formats=list(ReportFormat), signed={s.step.value: s for s in signed}, steps=ORDER,
                  frozen=signoff.is_signed_off(signed), date_styles=list(DateStyle))


@router.get("/reports")
def report_page(request: Request, _principal: Viewer) -> Response:
    """Report downloads for each saved assessment."""
    return render(request, "reports.html", saved=list_assessments(app_state(request).workspace),
                  formats=list(ReportFormat))


@router.get("/reports/{assessment_id}.{fmt}")
def report_download(request: Request, _principal: Viewer, assessment_id: str, fmt: ReportFormat,
                    date_style: Annotated[DateStyle, Query()] = DateStyle.ISO) -> Response:
    """The report of a saved assessment in HTML, PDF, XLSX, JSON or OSCAL, in the page's language, with its
    sign-off block; ``date_style=roc`` writes 民國 dates."""
    try:
        body = reports.workspace_report(app_state(request).workspace, fmt, request_lang(request), assessment_id,
                                        date_style=date_style)
    except InputError as error:
        raise HTTPException(404) from error
    name = f"csmguard-report-{assessment_id[:8]}{fmt.suffix}"
    return Response(body, media_type=REPORT_MEDIA[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
