"""The audit trail: view (paged with HTMX), verify the hash chain, export CSV/JSON."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from csmguard.auth.roles import Permission
from csmguard.services import audit
from csmguard.store.db import session_scope
from csmguard.web.deps import MAX_ROW_ID, Principal, Require, render
from csmguard.web.state import app_state

router = APIRouter()
Reader = Annotated[Principal, Depends(Require(Permission.READ_AUDIT))]
PAGE = 50


@router.get("/audit")
def audit_trail(request: Request, _principal: Reader, before: Annotated[int | None, Query(ge=1, le=MAX_ROW_ID)] = None,
                action: Annotated[str | None, Query(max_length=64)] = None) -> Response:
    """The newest entries; HTMX requests get only the next rows."""
    with session_scope(app_state(request).engine) as db:
        entries = audit.page(db, before, PAGE, action or None)
        total = audit.count(db)
    more = entries[-1].seq if len(entries) == PAGE else None
    template = "partials/audit_rows.html" if request.headers.get("hx-request") == "true" else "audit.html"
    return render(request, template, entries=entries, more=more, total=total, action=action or "")


@router.get("/audit/verify")
def audit_verify(request: Request, _principal: Reader) -> Response:
    """Walk the whole chain and show whether it is intact, or where it breaks."""
    with session_scope(app_state(request).engine) as db:
        count, problems = audit.verify(db)
    return render(request, "partials/audit_verify.html", count=count, problems=problems)


@router.get("/audit/export.csv")
def audit_csv(request: Request, _principal: Reader) -> Response:
    """The whole trail as CSV."""
    with session_scope(app_state(request).engine) as db:
        body = audit.export_csv(db)
    return Response(body, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="csmguard-audit.csv"'})


@router.get("/audit/export.json")
def audit_json(request: Request, _principal: Reader) -> Response:
    """The whole trail as JSON."""
    with session_scope(app_state(request).engine) as db:
        body = audit.export_json(db)
    return Response(body, media_type="application/json",
                    headers={"Content-Disposition": 'attachment; filename="csmguard-audit.json"'})
