"""Evidence (upload with hashes, download verified, check the store) and findings with triage."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from csmguard.auth.roles import Permission
from csmguard.domain import Finding, FindingStatus
from csmguard.domain.errors import InputError
from csmguard.services import approvals, tasks, web_accounts, web_triage
from csmguard.services.audit import write_scope
from csmguard.services.web_queries import FindingFilter, find_by_fingerprint
from csmguard.services.workspace import add_evidence, list_evidence, read_evidence
from csmguard.services.workspace import verify_evidence as check_store
from csmguard.store.db import session_scope
from csmguard.web.deps import Principal, Require, render, request_lang
from csmguard.web.i18n import translate
from csmguard.web.routes.common import record_change, run_heavy
from csmguard.web.state import app_state
from csmguard.web.uploads import UploadRejected, receive, scratch_folder
from csmguard.web.work import in_thread

router = APIRouter()
Viewer = Annotated[Principal, Depends(Require(Permission.VIEW))]
Editor = Annotated[Principal, Depends(Require(Permission.EDIT_COMPLIANCE))]
Triager = Annotated[Principal, Depends(Require(Permission.TRIAGE))]
EVIDENCE_SUFFIXES = frozenset({".pdf", ".png", ".jpg", ".jpeg", ".gif", ".txt", ".csv", ".json", ".xml", ".yaml",
                               ".yml", ".xlsx", ".docx", ".pptx", ".zip", ".eml", ".log", ".md"})
FINDINGS_PAGE = 200


def _evidence_page(request: Request, status: int = 200, **context: object) -> Response:
    return render(request, "evidence.html", status, items=list_evidence(app_state(request).workspace),
                  suffixes=sorted(EVIDENCE_SUFFIXES), **context)


@router.get("/evidence")
def evidence(request: Request, _principal: Viewer) -> Response:
    """The evidence store: every file with its SHA-256."""
    return _evidence_page(request)


@router.post("/evidence")
async def upload_evidence(request: Request, principal: Editor, file: Annotated[UploadFile, File()]) -> Response:
    """Keep an uploaded file in the evidence store (content-addressed); refused files leave nothing."""
    state = app_state(request)
    lang = request_lang(request)
    policy = state.settings.upload_policy(EVIDENCE_SUFFIXES)
    with scratch_folder() as folder:
        try:
            path = await receive(file, folder, policy)
            ref = await run_heavy(request, principal.username,
                                  lambda: add_evidence(state.workspace, path, name=path.name,
                                                       actor=principal.username))
        except UploadRejected as rejected:
            message = translate(lang, rejected.key, detail=rejected.detail, limit=state.settings.max_upload_mb)
            return await in_thread(lambda: _evidence_page(request, 400, error=message))
        except InputError as error:
            message = error.describe()
            return await in_thread(lambda: _evidence_page(request, 400, error=message))
    flash = translate(lang, "evidence_added", name=ref.name, sha256=ref.sha256)
    return await in_thread(lambda: _evidence_page(request, flash=flash))


@router.get("/evidence/check")
def evidence_check(request: Request, _principal: Viewer) -> Response:
    """Re-hash every stored file: missing, modified or unregistered files are listed."""
    problems = check_store(app_state(request).workspace)
    return render(request, "partials/evidence_check.html", problems=problems)


@router.get("/evidence/{sha256}")
def download_evidence(request: Request, _principal: Viewer, sha256: str) -> Response:
    """A stored file, verified against its hash before it is sent."""
    ws = app_state(request).workspace
    refs = {ref.sha256: ref for ref in list_evidence(ws)}
    ref = refs.get(sha256)
    if ref is None:
        raise HTTPException(404)
    body = read_evidence(ws, sha256)
    safe = "".join(ch for ch in ref.name if ch.isalnum() or ch in "._-") or "evidence"
    return Response(body, media_type="application/octet-stream",
                    headers={"Content-Disposition": f'attachment; filename="{safe}"', "X-Evidence-SHA256": sha256})


@router.get("/findings")
def findings(request: Request, _principal: Viewer,
             status: Annotated[str | None, Query(max_length=32)] = None,
             rule: Annotated[str | None, Query(max_length=32)] = None,
             requirement: Annotated[str | None, Query(max_length=32)] = None,
             suppressed: Annotated[bool, Query()] = False) -> Response:
    """The latest findings (failing by default; ``status=`` empty means every status), filterable, with their
    triage."""
    state = app_state(request)
    today = date.today()
    if status is None:
        wanted_status: FindingStatus | None = FindingStatus.FAIL
    elif not status:
        wanted_status = None
    else:
        try:
            wanted_status = FindingStatus(status)
        except ValueError:
            return render(request, "error.html", 400, message=translate(request_lang(request), "bad_status",
                                                                        status=status))
    wanted = FindingFilter(status=wanted_status, rule_id=rule or None, requirement=requirement or None,
                           hide_suppressed_on=None if suppressed else today)
    with session_scope(state.engine) as db:
        found, total = state.findings.find(db, wanted, FINDINGS_PAGE)
        decisions = web_triage.live_decisions(db, today)
    rows = [(finding, decisions.get(finding.fingerprint)) for finding in found]
    with session_scope(state.engine) as db:
        owners = [u.username for u in web_accounts.list_users(db) if u.active]
    return render(request, "findings.html", rows=rows, total=total, limit=FINDINGS_PAGE,
                  filters={"status": wanted_status.value if wanted_status else "", "rule": rule or "",
                           "requirement": requirement or "", "suppressed": suppressed},
                  statuses=list(FindingStatus), today=today, owners=owners,
                  task_of=tasks.open_tasks_by_fingerprint(state.workspace))


def _finding(request: Request, fingerprint: str) -> Finding:
    with session_scope(app_state(request).engine) as db:
        finding = find_by_fingerprint(db, fingerprint)
    if finding is None:
        raise HTTPException(404)
    return finding


@router.post("/findings/{fingerprint}/suppress")
def suppress(request: Request, principal: Triager, fingerprint: str, reason: Annotated[str, Form(min_length=3)],
             expires_on: Annotated[date, Form()]) -> Response:
    """Suppress a finding (false positive) with a reason until a date."""
    finding = _finding(request, fingerprint)
    if expires_on < date.today():
        raise HTTPException(400)
    with write_scope(app_state(request).engine) as db:
        web_triage.suppress(db, principal.username, fingerprint, finding.rule_id, reason.strip(), expires_on)
    return RedirectResponse("/findings", status_code=303)


@router.post("/findings/{fingerprint}/unsuppress")
def unsuppress(request: Request, principal: Triager, fingerprint: str) -> Response:
    """Lift a suppression."""
    with write_scope(app_state(request).engine) as db:
        web_triage.lift(db, principal.username, fingerprint)
    return RedirectResponse("/findings?suppressed=true", status_code=303)


@router.post("/findings/{fingerprint}/accept")
def accept_risk(request: Request, principal: Editor, fingerprint: str, reason: Annotated[str, Form(min_length=3)],
                compensating_controls: Annotated[str, Form(min_length=3)],
                expires_on: Annotated[date, Form()]) -> Response:
    """Request the acceptance of a finding's risk: an accepted-risk request (CSM-4.1) for each of its
    requirements, naming its rule; it counts once another user with the approve permission approves it."""
    finding = _finding(request, fingerprint)
    if expires_on < date.today():
        raise HTTPException(400)
    ws = app_state(request).workspace
    for requirement in finding.requirements:
        record = approvals.request_exception(ws, requirement=requirement, rationale=reason,
                                             compensating_controls=compensating_controls, expires_on=expires_on,
                                             rule_ids=[finding.rule_id], requested_by=principal.username,
                                             kind=approvals.ACCEPTED_RISK)
        # the request and its own audit entry committed together; this entry links it to the finding
        record_change(request, principal, "finding.accept_risk", "finding", fingerprint, None,
                      {"exception": record.id, "rule_id": finding.rule_id})
    return RedirectResponse("/approvals", status_code=303)
