"""Four-eyes decisions in the web app (services.approvals, services.signoff): requested exceptions and
accepted risks approved or rejected by another user with the approve permission, renewals, attestations
awaiting their reviewer, and the three-step sign-off of a saved assessment."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from csmguard.auth.roles import Permission
from csmguard.dates import taipei_today
from csmguard.domain.errors import InputError
from csmguard.domain.signoff import SignoffStep
from csmguard.services import approvals, signoff
from csmguard.web.deps import Principal, Require, render, request_lang
from csmguard.web.i18n import translate
from csmguard.web.state import app_state

router = APIRouter()
Viewer = Annotated[Principal, Depends(Require(Permission.VIEW))]
Editor = Annotated[Principal, Depends(Require(Permission.EDIT_COMPLIANCE))]
Reviewer = Annotated[Principal, Depends(Require(Permission.REVIEW))]
Approver = Annotated[Principal, Depends(Require(Permission.APPROVE))]
Note = Annotated[str, Form(max_length=2000)]
EXPIRING_DAYS = 30
RECENT = 20


def _page(request: Request, status: int = 200, error: str | None = None) -> Response:
    ws = app_state(request).workspace
    every = approvals.list_all(ws)
    return render(request, "approvals.html", status, requested=[v for v in every if v.state == approvals.REQUESTED],
                  decided=[v for v in every if v.state != approvals.REQUESTED and v.decided_by][:RECENT],
                  expiring=approvals.expiring(ws, within_days=EXPIRING_DAYS),
                  pending=approvals.pending_attestations(ws), today=taipei_today(),
                  flash=error, flash_kind="error" if error else "ok")


def _refused(request: Request, error: InputError) -> Response:
    return _page(request, 400, translate(request_lang(request), "action_refused", detail=error.describe()))


def _then_back(request: Request, step: Callable[[], object]) -> Response:
    """Take one step, then back to the approvals page; a refused step shows the page with the reason."""
    try:
        step()
    except InputError as error:
        return _refused(request, error)
    return RedirectResponse("/approvals", status_code=303)


@router.get("/approvals")
def approvals_page(request: Request, _principal: Viewer) -> Response:
    """What awaits a decision: exceptions and accepted risks, renewals, attestations to review."""
    return _page(request)


@router.post("/approvals/exceptions/{exception_id}/approve")
def approve_exception(request: Request, principal: Approver, exception_id: str, note: Note = "") -> Response:
    """Approve a request (never one's own)."""
    ws = app_state(request).workspace
    return _then_back(request, lambda: approvals.decide(ws, exception_id, approve=True,
                                                        decided_by=principal.username, note=note))


@router.post("/approvals/exceptions/{exception_id}/reject")
def reject_exception(request: Request, principal: Approver, exception_id: str, note: Note = "") -> Response:
    """Reject a request, with the reason (never one's own)."""
    ws = app_state(request).workspace
    return _then_back(request, lambda: approvals.decide(ws, exception_id, approve=False,
                                                        decided_by=principal.username, note=note))


@router.post("/approvals/exceptions/{exception_id}/renew")
def renew_exception(request: Request, principal: Editor, exception_id: str,
                    expires_on: Annotated[date, Form()]) -> Response:
    """Request the renewal of an approved exception until a new date (it needs a new approval)."""
    ws = app_state(request).workspace
    return _then_back(request, lambda: approvals.request_renewal(ws, exception_id, expires_on=expires_on,
                                                                 requested_by=principal.username))


@router.post("/approvals/attestations/{attestation_id}/accept")
def accept_attestation(request: Request, principal: Reviewer, attestation_id: str, note: Note = "") -> Response:
    """The named reviewer accepts an attestation; it counts from then on."""
    ws = app_state(request).workspace
    return _then_back(request, lambda: approvals.review_attestation(ws, attestation_id, accept=True,
                                                                    reviewer=principal.username, note=note))


@router.post("/approvals/attestations/{attestation_id}/reject")
def reject_attestation(request: Request, principal: Reviewer, attestation_id: str, note: Note = "") -> Response:
    """The named reviewer rejects an attestation, with the reason."""
    ws = app_state(request).workspace
    return _then_back(request, lambda: approvals.review_attestation(ws, attestation_id, accept=False,
                                                                    reviewer=principal.username, note=note))


def _sign(request: Request, principal: Principal, assessment_id: str, step: SignoffStep, note: str) -> Response:
    try:
        signoff.sign(app_state(request).workspace, assessment_id, step, username=principal.username, note=note)
    except InputError as error:
        message = translate(request_lang(request), "action_refused", detail=error.describe())
        return render(request, "error.html", 400, message=message)
    return RedirectResponse(f"/assessments/{assessment_id}#signoff", status_code=303)


@router.post("/assessments/{assessment_id}/submit")
def submit_assessment(request: Request, principal: Editor, assessment_id: str, note: Note = "") -> Response:
    """評估人員: submit the assessment for review."""
    return _sign(request, principal, assessment_id, SignoffStep.SUBMITTED, note)


@router.post("/assessments/{assessment_id}/review")
def review_assessment(request: Request, principal: Reviewer, assessment_id: str, note: Note = "") -> Response:
    """覆核人員: review a submitted assessment (not one's own submission)."""
    return _sign(request, principal, assessment_id, SignoffStep.REVIEWED, note)


@router.post("/assessments/{assessment_id}/approve")
def approve_assessment(request: Request, principal: Approver, assessment_id: str, note: Note = "") -> Response:
    """核准人員: approve a reviewed assessment; it is then frozen."""
    return _sign(request, principal, assessment_id, SignoffStep.APPROVED, note)


@router.post("/assessments/{assessment_id}/return")
def return_assessment(request: Request, principal: Reviewer, assessment_id: str,
                      reason: Annotated[str, Form(min_length=1, max_length=2000)]) -> Response:
    """Send a submitted assessment back to its preparer (before approval)."""
    try:
        signoff.withdraw(app_state(request).workspace, assessment_id, username=principal.username, reason=reason)
    except InputError as error:
        message = translate(request_lang(request), "action_refused", detail=error.describe())
        return render(request, "error.html", 400, message=message)
    return RedirectResponse(f"/assessments/{assessment_id}#signoff", status_code=303)
