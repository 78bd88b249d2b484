"""Dashboard, catalog and requirement pages: status from the latest saved assessment, live findings."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response

from csmguard.assessment.model import STATUS_ORDER, AssessmentResult
from csmguard.domain import FindingStatus, Lang
from csmguard.domain.errors import InputError
from csmguard.services import assessment as assessments
from csmguard.services.workspace import latest_findings, list_assessments, list_attestations, list_exceptions
from csmguard.web.auth.roles import Permission
from csmguard.web.deps import Principal, Require, render, request_lang
from csmguard.web.state import app_state
from csmguard.workspace import Workspace

router = APIRouter()
Viewer = Annotated[Principal, Depends(Require(Permission.VIEW))]
OVERDUE_RULES_PREFIX = "REG-"


def latest_assessment(ws: Workspace) -> tuple[str | None, AssessmentResult | None]:
    """The newest saved assessment with its id, or (None, None) when none was saved."""
    try:
        saved = assessments.load_assessment(ws, "latest")
    except InputError:
        return None, None
    return saved.id, saved.result


@router.get("/")
def dashboard(request: Request, _principal: Viewer) -> Response:
    """Status by chapter and domain, the trend across assessments, overdue reviews and audits."""
    ws = app_state(request).workspace
    assessment_id, result = latest_assessment(ws)
    trend = list(reversed(list_assessments(ws)))[-12:]
    overdue = [f for f in latest_findings(ws)
               if f.rule_id.startswith(OVERDUE_RULES_PREFIX) and f.status is FindingStatus.FAIL]
    return render(request, "dashboard.html", result=result, assessment_id=assessment_id, trend=trend,
                  overdue=overdue, statuses=STATUS_ORDER)


@router.get("/catalog")
def catalog(request: Request, _principal: Viewer) -> Response:
    """Every requirement with its level, domain and latest status."""
    state = app_state(request)
    _id, result = latest_assessment(state.workspace)
    statuses = result.status_of() if result is not None else {}
    nodes = list(state.catalog.catalog.requirements())
    return render(request, "catalog.html", nodes=nodes, statuses=statuses, coverage=state.catalog.coverage,
                  has_assessment=result is not None)


@router.get("/catalog/{requirement_id}")
def requirement(request: Request, _principal: Viewer, requirement_id: str) -> Response:
    """One requirement: text in both languages, status and reasons, evidence, findings, exceptions."""
    state = app_state(request)
    by_id = state.catalog.catalog.by_id()
    node = by_id.get(requirement_id)
    if node is None:
        raise HTTPException(404)
    ws = state.workspace
    _id, result = latest_assessment(ws)
    outcome = None
    if result is not None:
        try:
            outcome = result.requirement(requirement_id)
        except KeyError:
            outcome = None
    findings = [f for f in latest_findings(ws) if requirement_id in f.requirements]
    findings.sort(key=lambda f: (f.status is not FindingStatus.FAIL, -f.severity.rank, f.rule_id))
    attestations = [a for a in list_attestations(ws) if a.requirement == requirement_id]
    exceptions = [e for e in list_exceptions(ws) if e.requirement == requirement_id]
    lang = request_lang(request)
    return render(request, "requirement.html", node=node, outcome=outcome, findings=findings,
                  attestations=attestations, exceptions=exceptions, rules=state.catalog.coverage.get(node.id, []),
                  children=state.catalog.catalog.children(node.id), lang_enum=lang, Lang=Lang)
