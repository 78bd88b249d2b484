"""Voiding a recorded scan from the web app: only users who may edit compliance records (compliance
officers, administrators) may exclude a scan from assessments; the reason is required and the audit
entry commits with the change."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from csmguard.auth.roles import Permission
from csmguard.domain.errors import InputError
from csmguard.services.records import void_scan
from csmguard.web.deps import Principal, Require
from csmguard.web.state import app_state

router = APIRouter()
Editor = Annotated[Principal, Depends(Require(Permission.EDIT_COMPLIANCE))]


@router.post("/scans/{scan_id}/void")
def void(request: Request, principal: Editor, scan_id: str,
         reason: Annotated[str, Form(min_length=1, max_length=2000)]) -> Response:
    """Exclude the scan from every later assessment, with the reason; back to the scan's page."""
    try:
        void_scan(app_state(request).workspace, scan_id, reason=reason, actor=principal.username)
    except InputError as error:
        raise HTTPException(409 if "already voided" in error.message else 404, error.message) from error
    return RedirectResponse(f"/scans/{scan_id}", status_code=303)
