"""Scans: upload an APK/IPA, an IaC archive, an MDM export or message templates, or check endpoints; the work
is queued as a job (run in a child process, :mod:`csmguard.jobs`) and the page polls its progress with HTMX;
results are recorded in the workspace."""

from __future__ import annotations

import shutil
from enum import StrEnum
from pathlib import Path
from typing import Annotated, BinaryIO

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import Response

from csmguard.domain.errors import InputError
from csmguard.jobs.table import JobStatus
from csmguard.services import audit
from csmguard.services.audit import write_scope
from csmguard.services.web_queries import recent_scans
from csmguard.services.workspace import get_scan
from csmguard.store.db import session_scope
from csmguard.web.auth.roles import Permission
from csmguard.web.deps import Forbidden, Principal, Require, render, request_lang
from csmguard.web.i18n import translate
from csmguard.web.routes.common import claim_job
from csmguard.web.state import AppState, app_state
from csmguard.web.uploads import UploadPolicy, UploadRejected, extract_zip, receive_file
from csmguard.web.work import Busy, in_thread, run_blocking

router = APIRouter()
Viewer = Annotated[Principal, Depends(Require(Permission.VIEW))]
Scanner = Annotated[Principal, Depends(Require(Permission.RUN_SCANS))]
SCAN_LIST_LENGTH = 100
SCAN_FINDINGS_SHOWN = 500


class UploadKind(StrEnum):
    """What an uploaded artifact is."""

    APP = "app"
    IAC = "iac"
    MDM = "mdm"
    MESSAGES = "messages"
    POLICYDOC = "policydoc"


SUFFIXES: dict[UploadKind, frozenset[str]] = {
    UploadKind.APP: frozenset({".apk", ".aab", ".ipa"}),
    UploadKind.IAC: frozenset({".zip", ".tf", ".json", ".yaml", ".yml", ".template"}),
    UploadKind.MDM: frozenset({".json", ".csv"}),
    UploadKind.MESSAGES: frozenset({".txt", ".csv", ".json", ".html", ".md"}),
    UploadKind.POLICYDOC: frozenset({".docx", ".pdf", ".md", ".txt"}),
}


def _enqueue(state: AppState, principal: Principal, kind: str, label: str, payload: dict[str, object],
             job_id: str | None = None) -> JobStatus:
    job = state.jobs.enqueue(kind, payload, owner=principal.username, label=label, job_id=job_id)
    status = state.jobs.status(job)
    assert status is not None
    return status


def _page(request: Request, status: int = 200, **context: object) -> Response:
    state = app_state(request)
    with session_scope(state.engine) as db:
        scans = recent_scans(db, SCAN_LIST_LENGTH)
    return render(request, "scans.html", status, scans=scans, jobs=state.jobs.recent(),
                  kinds=list(UploadKind), suffixes=SUFFIXES, **context)


def _busy_page(request: Request, busy: Busy) -> Response:
    response = _page(request, 429, error=translate(request_lang(request), busy.key, limit=busy.limit))
    response.headers["Retry-After"] = "30"
    return response


def _check_private(principal: Principal, allow_private: bool) -> None:
    """Only administrators may let a scan reach private and loopback addresses: 403 for anyone else."""
    if allow_private and not principal.can(Permission.SCAN_PRIVATE):
        raise Forbidden


def _start(request: Request, principal: Principal, kind: str, label: str, payload: dict[str, object],
           allow_private: bool, targets: str) -> Response:
    """Queue an endpoint or website scan (429 when the user has enough running). A scan allowed to reach
    private addresses is recorded in the audit trail as it is queued (so even one that fails is on
    record), and its result entry says so too."""
    state = app_state(request)
    try:
        claim_job(state, principal.username)
    except Busy as busy:
        return _busy_page(request, busy)
    if allow_private:
        with write_scope(state.engine) as db:
            audit.append(db, principal.username, "scan.allow_private", "scan", kind, None,
                         {"scanner": kind, "targets": targets, "allow_private": True})
        payload["audit"] = {"allow_private": True}
    job = _enqueue(state, principal, f"scan.{kind}", label, payload)
    return _page(request, 202, started=job)


@router.get("/scans")
def scans(request: Request, _principal: Viewer) -> Response:
    """Recorded scans, running jobs, and the forms to start one."""
    return _page(request)


def _prepare_upload(kind: UploadKind, source: BinaryIO, filename: str | None, folder: Path,
                    policy: UploadPolicy) -> tuple[Path, Path]:
    """Copy and check the upload, unpack an IaC zip: (the upload, what to scan). Blocking (worker thread)."""
    path = receive_file(source, filename, folder, policy)
    if kind is UploadKind.IAC and path.suffix.lower() == ".zip":
        return path, extract_zip(path, folder / "unpacked", policy)
    return path, path


@router.post("/scans/upload")
async def upload_scan(request: Request, principal: Scanner, kind: Annotated[UploadKind, Form()],
                      file: Annotated[UploadFile, File()]) -> Response:
    """Check the upload (in a worker thread) into a new job's folder, then queue its scan (run in a child
    process); one at a time per user."""
    state = app_state(request)
    policy = state.settings.upload_policy(SUFFIXES[kind])
    try:
        await in_thread(claim_job, state, principal.username)
        slot = state.slots.claim(principal.username)
    except Busy as busy:
        refused = busy
        return await in_thread(lambda: _busy_page(request, refused))
    job_id, folder = await in_thread(state.jobs.new_folder)
    job: JobStatus | None = None
    try:
        path, target = await run_blocking(state.heavy, _prepare_upload, kind, file.file, file.filename, folder,
                                          policy)
        payload: dict[str, object] = {"upload_kind": kind.value, "target": str(target.relative_to(folder)),
                                      "subject": path.name}
        job = await in_thread(_enqueue, state, principal, "scan.upload", path.name, payload, job_id)
    except UploadRejected as rejected:
        message = translate(request_lang(request), rejected.key, detail=rejected.detail,
                            limit=state.settings.max_upload_mb)
        return await in_thread(lambda: _page(request, 400, error=message))
    finally:
        slot.release()
        if job is None:  # the job owns the folder once queued
            shutil.rmtree(folder, ignore_errors=True)
    started = job
    return await in_thread(lambda: _page(request, 202, started=started))


@router.post("/scans/endpoint")
def endpoint_scan_start(request: Request, principal: Scanner, targets: Annotated[str, Form(max_length=20000)],
                        allow_private: Annotated[bool, Form()] = False) -> Response:
    """Check TLS/SFTP/HTTPS endpoints (host[:port] or URLs, one a line) in the background. Private and
    loopback addresses are refused unless an administrator allows them for this scan."""
    lines = tuple(line.strip() for line in targets.splitlines() if line.strip())
    if not lines:
        return _page(request, 400, error=translate(request_lang(request), "targets_missing"))
    _check_private(principal, allow_private)
    payload: dict[str, object] = {"targets": list(lines), "allow_private": allow_private,
                                  "subject": ",".join(sorted(lines))[:500]}
    return _start(request, principal, "endpoint", ", ".join(lines)[:200], payload, allow_private,
                  "\n".join(lines)[:2000])


@router.post("/scans/site")
def site_scan_start(request: Request, principal: Scanner, url: Annotated[str, Form(max_length=2000)],
                    allow_private: Annotated[bool, Form()] = False) -> Response:
    """Crawl the official website for social media links and their leave-site prompts, in the background.
    Private and loopback addresses are refused unless an administrator allows them for this scan."""
    url = url.strip()
    if not url.startswith(("http://", "https://")):
        return _page(request, 400, error=translate(request_lang(request), "site_url_bad"))
    _check_private(principal, allow_private)
    payload: dict[str, object] = {"url": url, "allow_private": allow_private, "subject": url[:500]}
    return _start(request, principal, "site", url[:200], payload, allow_private, url)


@router.get("/scans/jobs/{job_id}")
def job_status(request: Request, _principal: Viewer, job_id: str) -> Response:
    """A job's progress (polled by HTMX until it is done)."""
    job = app_state(request).jobs.status(job_id)
    if job is None:
        raise HTTPException(404)
    return render(request, "partials/job.html", job=job)


@router.post("/scans/jobs/{job_id}/cancel")
def job_cancel(request: Request, principal: Scanner, job_id: str) -> Response:
    """Cancel one's own job (administrators: anyone's): a queued one at once, a running one's process is
    stopped by its worker."""
    state = app_state(request)
    job = state.jobs.status(job_id)
    if job is None:
        raise HTTPException(404)
    if job.owner != principal.username and not principal.can(Permission.MANAGE_USERS):
        raise Forbidden
    state.jobs.cancel(job_id)
    return render(request, "partials/job.html", job=state.jobs.status(job_id))


@router.get("/scans/{scan_id}")
def scan_view(request: Request, principal: Viewer, scan_id: str) -> Response:
    """One recorded scan: its state, findings and errors, and (for those who may) the form to void it."""
    try:
        document = get_scan(app_state(request).workspace, scan_id)
    except InputError as error:
        raise HTTPException(404) from error
    findings = sorted(document.get("findings", []), key=lambda f: (f.get("status") != "fail", f.get("rule_id", "")))
    return render(request, "scan.html", scan_id=scan_id, doc=document, findings=findings[:SCAN_FINDINGS_SHOWN],
                  findings_total=len(findings), voided=document.get("voided"),
                  can_void=principal.can(Permission.EDIT_COMPLIANCE))
