"""Dashboard, catalog and requirement pages: status from the latest saved assessment, live findings."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from csmguard.assessment.model import STATUS_ORDER
from csmguard.auth.roles import Permission
from csmguard.catalog.model import Node
from csmguard.domain import FindingStatus
from csmguard.domain.attestation import AttestedStatus
from csmguard.domain.errors import InputError
from csmguard.services import approvals, tasks
from csmguard.services.tasks import TaskFilter
from csmguard.services.web_queries import FindingFilter, assessment_summaries
from csmguard.services.workspace import (
    add_attestation,
    list_attestations,
    list_evidence,
    list_exceptions,
)
from csmguard.store.db import session_scope
from csmguard.web.deps import Principal, Require, render, render_cached
from csmguard.web.state import app_state

router = APIRouter()
Viewer = Annotated[Principal, Depends(Require(Permission.VIEW))]
# for the pages served through render_cached: the data version is read with the session check
CachedViewer = Annotated[Principal, Depends(Require(Permission.VIEW, with_version=True))]
Editor = Annotated[Principal, Depends(Require(Permission.EDIT_COMPLIANCE))]
OVERDUE_RULES_PREFIX = "REG-"
OVERDUE_LIMIT = 200
REQUIREMENT_FINDINGS_LIMIT = 50
TREND_LENGTH = 12


@router.get("/")
def dashboard(request: Request, _principal: CachedViewer) -> Response:
    """Status by chapter and domain, the trend across assessments, overdue reviews and audits."""
    state = app_state(request)

    def context() -> dict[str, object]:
        assessment_id, result = state.latest_assessment()
        with session_scope(state.engine) as db:
            trend = list(reversed(assessment_summaries(db, TREND_LENGTH)))
            wanted = FindingFilter(status=FindingStatus.FAIL, rule_prefix=OVERDUE_RULES_PREFIX)
            overdue, _total = state.findings.find(db, wanted, OVERDUE_LIMIT)
        return {"result": result, "assessment_id": assessment_id, "trend": trend, "overdue": overdue,
                "statuses": STATUS_ORDER}

    return render_cached(request, "dashboard.html", context)


@router.get("/catalog")
def catalog(request: Request, _principal: Viewer) -> Response:
    """Every requirement with its level, domain and latest status."""
    state = app_state(request)
    _id, result = state.latest_assessment()
    statuses = result.status_of() if result is not None else {}
    nodes = list(state.catalog.catalog.requirements())
    return render(request, "catalog.html", nodes=nodes, statuses=statuses, coverage=state.coverage,
                  has_assessment=result is not None)


def _node(request: Request, requirement_id: str) -> Node:
    node = app_state(request).catalog.catalog.by_id().get(requirement_id)
    if node is None:
        raise HTTPException(404)
    return node


def _requirement_context(request: Request, requirement_id: str) -> dict[str, object]:
    state = app_state(request)
    node = _node(request, requirement_id)
    ws = state.workspace
    _id, result = state.latest_assessment()
    outcome = None
    if result is not None:
        try:
            outcome = result.requirement(requirement_id)
        except KeyError:
            outcome = None
    with session_scope(state.engine) as db:
        findings, total = state.findings.find(db, FindingFilter(requirement=requirement_id), REQUIREMENT_FINDINGS_LIMIT)
    attestations = [a for a in list_attestations(ws) if a.requirement == requirement_id]
    exceptions = [e for e in list_exceptions(ws) if e.requirement == requirement_id]
    requests = [e for e in approvals.list_all(ws, requirement=requirement_id) if e.state == approvals.REQUESTED]
    return {"node": node, "outcome": outcome, "findings": findings, "attestations": attestations,
            "exceptions": exceptions, "exception_requests": requests,
            "tasks": tasks.list_tasks(ws, TaskFilter(requirement=requirement_id, open_only=True)),
            "rules": state.coverage.get(node.id, []),
            "children": state.catalog.catalog.children(node.id), "findings_total": total,
            "evidence_items": list_evidence(ws), "attested_statuses": list(AttestedStatus), "today": date.today()}


def _requirement_page(request: Request, requirement_id: str, status: int, error: object) -> Response:
    """The requirement page with a form error (not cached)."""
    return render(request, "requirement.html", status, error=error, **_requirement_context(request, requirement_id))


@router.get("/catalog/{requirement_id}")
def requirement(request: Request, _principal: CachedViewer, requirement_id: str) -> Response:
    """One requirement: text in both languages, status and reasons, evidence, findings, exceptions."""
    _node(request, requirement_id)
    return render_cached(request, "requirement.html", lambda: _requirement_context(request, requirement_id))


@router.post("/catalog/{requirement_id}/attestations")
def attest(request: Request, principal: Editor, requirement_id: str, status: Annotated[AttestedStatus, Form()],
           statement: Annotated[str, Form(min_length=1, max_length=5000)],
           evidence: Annotated[list[str] | None, Form()] = None, reviewer: Annotated[str, Form(max_length=200)] = "",
           expires_on: Annotated[date | None, Form()] = None,
           review_required: Annotated[bool, Form()] = False) -> Response:
    """Record an attestation about the requirement, with evidence from the store; with ``review_required``
    it counts once the named reviewer accepts it."""
    _node(request, requirement_id)
    try:
        add_attestation(app_state(request).workspace, requirement=requirement_id, status=status,
                        statement=statement.strip(), attested_by=principal.username,
                        reviewer=reviewer.strip() or None, expires_on=expires_on,
                        evidence=list(evidence or []), actor=principal.username, review_required=review_required)
    except InputError as error:
        return _requirement_page(request, requirement_id, 400, error=error.describe())
    return RedirectResponse(f"/catalog/{requirement_id}", status_code=303)


@router.post("/catalog/{requirement_id}/exceptions")
def add_exception_record(request: Request, principal: Editor, requirement_id: str,
                         rationale: Annotated[str, Form(min_length=1, max_length=5000)],
                         compensating_controls: Annotated[str, Form(min_length=1, max_length=5000)],
                         expires_on: Annotated[date, Form()],
                         evidence: Annotated[list[str] | None, Form()] = None) -> Response:
    """Request an exception (CSM-4.1) with compensating controls; it counts once another user with the
    approve permission approves it on the approvals page (four-eyes)."""
    _node(request, requirement_id)
    try:
        approvals.request_exception(app_state(request).workspace, requirement=requirement_id,
                                    rationale=rationale, compensating_controls=compensating_controls,
                                    expires_on=expires_on, evidence=list(evidence or []),
                                    requested_by=principal.username)
    except InputError as error:
        return _requirement_page(request, requirement_id, 400, error=error.describe())
    return RedirectResponse("/approvals", status_code=303)
