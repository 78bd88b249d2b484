"""Scans: upload an APK/IPA, an IaC archive, an MDM export or message templates, or check endpoints; the work
runs in the background and the page polls its progress with HTMX; results are recorded in the workspace."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import Response

from csmguard.domain import ScanResult
from csmguard.domain.coverage import ScanState
from csmguard.domain.errors import InputError
from csmguard.scanners.site.crawl import CrawlOptions
from csmguard.scanning.sniff import nothing_recognised
from csmguard.services import (
    app_scan,
    audit,
    endpoint_scan,
    fleet_scan,
    iac_scan,
    messages_scan,
    policydoc_scan,
    site_scan,
)
from csmguard.services.audit import write_scope
from csmguard.services.records import record_scan_in
from csmguard.services.web_queries import recent_scans
from csmguard.services.workspace import get_scan
from csmguard.store.db import session_scope
from csmguard.web.auth.roles import Permission
from csmguard.web.deps import Principal, Require, render, request_lang
from csmguard.web.i18n import translate
from csmguard.web.jobs import Job
from csmguard.web.state import AppState, app_state
from csmguard.web.uploads import UploadRejected, extract_zip, receive

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


class JobProgress:
    """The scanners' Progress protocol, reporting into a background job."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.done = 0
        self.total = 0

    def start(self, label: str, total: int | None = None) -> None:
        """A phase begins."""
        self.done, self.total = 0, total or 0
        self.job.advance(0, self.total, label)

    def advance(self, amount: int = 1) -> None:
        """Some work is done."""
        self.done += amount
        self.job.advance(self.done, max(self.total, self.done))

    def finish(self) -> None:
        """The phase is over."""
        self.job.advance(self.total or self.done, self.total or self.done)


def _scan_upload(kind: UploadKind, target: Path, progress: JobProgress) -> ScanResult:
    if kind is UploadKind.APP:
        return app_scan.scan_app([target], progress=progress)[0]
    if kind is UploadKind.IAC:
        return iac_scan.scan_iac([target], progress=progress)[0]
    if kind is UploadKind.MDM:
        return fleet_scan.scan_fleet(fleet_scan.FleetScanOptions(paths=(target,)), progress=progress)[0]
    if kind is UploadKind.POLICYDOC:
        return policydoc_scan.scan_policydocs([target], policydoc_scan.load_policydoc_rules(), progress=progress)
    return messages_scan.scan_messages([target], messages_scan.load_messages_rules(), progress=progress)


def _submit(state: AppState, principal: Principal, kind: str, label: str, subject: str,
            scan: Callable[[JobProgress], ScanResult], cleanup: Path | None) -> Job:
    engine = state.engine

    def work(job: Job) -> str:
        try:
            result = scan(JobProgress(job))
        finally:
            if cleanup is not None:
                shutil.rmtree(cleanup, ignore_errors=True)
        with write_scope(engine) as db:  # the scan and its audit entry commit together
            scan_id = record_scan_in(db, result, subject=subject)
            audit.append(db, principal.username, "scan.record", "scan", scan_id, None,
                         {"scanner": result.scanner, "subject": subject, "state": result.state.value,
                          **result.status_counts(), "errors": len(result.errors)})
        job.counts = (len(result.findings), len(result.errors))
        if result.state is ScanState.FAILED:
            found = dict(result.effective_coverage().found)
            job.warning = (nothing_recognised(result.scanner, found).en if found
                           else "; ".join(e.describe() for e in result.errors[:3]))
        return scan_id

    return state.jobs.submit(kind, principal.username, label, work)


def _page(request: Request, status: int = 200, **context: object) -> Response:
    state = app_state(request)
    with session_scope(state.engine) as db:
        scans = recent_scans(db, SCAN_LIST_LENGTH)
    return render(request, "scans.html", status, scans=scans, jobs=state.jobs.recent(),
                  kinds=list(UploadKind), suffixes=SUFFIXES, **context)


@router.get("/scans")
def scans(request: Request, _principal: Viewer) -> Response:
    """Recorded scans, running jobs, and the forms to start one."""
    return _page(request)


@router.post("/scans/upload")
async def upload_scan(request: Request, principal: Scanner, kind: Annotated[UploadKind, Form()],
                      file: Annotated[UploadFile, File()]) -> Response:
    """Check the upload, then scan it in the background."""
    state = app_state(request)
    policy = state.settings.upload_policy(SUFFIXES[kind])
    folder = Path(tempfile.mkdtemp(prefix="csmguard-scan-"))
    try:
        path = await receive(file, folder, policy)
        target = extract_zip(path, folder / "unpacked", policy) if kind is UploadKind.IAC and \
            path.suffix.lower() == ".zip" else path
    except UploadRejected as rejected:
        shutil.rmtree(folder, ignore_errors=True)
        message = translate(request_lang(request), rejected.key, detail=rejected.detail,
                            limit=state.settings.max_upload_mb)
        return _page(request, 400, error=message)
    job = _submit(state, principal, kind.value, path.name, path.name,
                  lambda progress: _scan_upload(kind, target, progress), folder)
    return _page(request, 202, started=job)


@router.post("/scans/endpoint")
def endpoint_scan_start(request: Request, principal: Scanner, targets: Annotated[str, Form(max_length=20000)],
                        allow_private: Annotated[bool, Form()] = False) -> Response:
    """Check TLS/SFTP/HTTPS endpoints (host[:port] or URLs, one a line) in the background."""
    state = app_state(request)
    lines = tuple(line.strip() for line in targets.splitlines() if line.strip())
    if not lines:
        return _page(request, 400, error=translate(request_lang(request), "targets_missing"))
    scan_request = endpoint_scan.EndpointScanRequest(targets=lines, allow_private=allow_private)

    def run(progress: JobProgress) -> ScanResult:
        return endpoint_scan.scan_endpoints(scan_request, rules=endpoint_scan.load_endpoint_rules(),
                                            progress=progress)

    job = _submit(state, principal, "endpoint", ", ".join(lines)[:200], ",".join(sorted(lines))[:500], run, None)
    return _page(request, 202, started=job)


@router.post("/scans/site")
def site_scan_start(request: Request, principal: Scanner, url: Annotated[str, Form(max_length=2000)],
                    allow_private: Annotated[bool, Form()] = False) -> Response:
    """Crawl the official website for social media links and their leave-site prompts, in the background."""
    state = app_state(request)
    url = url.strip()
    if not url.startswith(("http://", "https://")):
        return _page(request, 400, error=translate(request_lang(request), "site_url_bad"))
    options = site_scan.SiteOptions(crawl=CrawlOptions(allow_private=allow_private))

    def run(progress: JobProgress) -> ScanResult:
        return site_scan.scan_site(url, site_scan.load_site_rules(), options, progress)

    job = _submit(state, principal, "site", url[:200], url[:500], run, None)
    return _page(request, 202, started=job)


@router.get("/scans/jobs/{job_id}")
def job_status(request: Request, _principal: Viewer, job_id: str) -> Response:
    """A job's progress (polled by HTMX until it is done)."""
    job = app_state(request).jobs.get(job_id)
    if job is None:
        raise HTTPException(404)
    return render(request, "partials/job.html", job=job)


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
