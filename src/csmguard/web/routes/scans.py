"""Scans: upload an APK/IPA, an IaC archive, an MDM export or message templates, or check endpoints; the work
runs in the background and the page polls its progress with HTMX; results are recorded in the workspace."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, BinaryIO

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import Response

from csmguard.auth.roles import Permission
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
from csmguard.web.deps import Forbidden, Principal, Require, render, request_lang
from csmguard.web.i18n import translate
from csmguard.web.jobs import Job
from csmguard.web.state import AppState, app_state
from csmguard.web.uploads import UploadPolicy, UploadRejected, extract_zip, receive_file
from csmguard.web.work import Busy, Slot, in_thread, run_blocking

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


UPLOAD_SCANNERS: dict[UploadKind, Callable[[Path, JobProgress], ScanResult]] = {
    UploadKind.APP: lambda target, progress: app_scan.scan_app([target], progress=progress)[0],
    UploadKind.IAC: lambda target, progress: iac_scan.scan_iac([target], progress=progress)[0],
    UploadKind.MDM: lambda target, progress: fleet_scan.scan_fleet(fleet_scan.FleetScanOptions(paths=(target,)),
                                                                   progress=progress)[0],
    UploadKind.MESSAGES: lambda target, progress: messages_scan.scan_messages(
        [target], messages_scan.load_messages_rules(), progress=progress),
    UploadKind.POLICYDOC: lambda target, progress: policydoc_scan.scan_policydocs(
        [target], policydoc_scan.load_policydoc_rules(), progress=progress),
}
missing_scanners = set(UploadKind) - set(UPLOAD_SCANNERS)
if missing_scanners:  # a new upload kind must name its scanner, never fall through to another one
    raise RuntimeError(f"upload kinds without a scanner: {sorted(missing_scanners)}")


def _scan_upload(kind: UploadKind, target: Path, progress: JobProgress) -> ScanResult:
    """Scan ``target`` with the scanner of its upload kind (each kind names its own: no default)."""
    return UPLOAD_SCANNERS[kind](target, progress)


def _submit(state: AppState, principal: Principal, slot: Slot, kind: str, label: str, subject: str,
            scan: Callable[[JobProgress], ScanResult], cleanup: Path | None,
            audit_extra: dict[str, object] | None = None) -> Job:
    """Run ``scan`` as a background job holding ``slot``; record its result and the audit entry; remove
    ``cleanup`` however it ends."""
    engine = state.engine
    extra = audit_extra or {}

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
                          **result.status_counts(), "errors": len(result.errors), **extra})
        job.counts = (len(result.findings), len(result.errors))
        if result.state is ScanState.FAILED:
            found = dict(result.effective_coverage().found)
            job.warning = (nothing_recognised(result.scanner, found).en if found
                           else "; ".join(e.describe() for e in result.errors[:3]))
        return scan_id

    try:
        return state.jobs.submit(kind, principal.username, label, work, finished=slot.release)
    except BaseException:
        slot.release()
        raise


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


def _start(request: Request, principal: Principal, kind: str, label: str, subject: str,
           scan: Callable[[JobProgress], ScanResult], allow_private: bool, targets: str) -> Response:
    """Start an endpoint or website scan in one of the user's work slots (429 when busy). A scan allowed
    to reach private addresses is recorded in the audit trail as it starts (so even one that fails is on
    record), and its result entry says so too."""
    state = app_state(request)
    try:
        slot = state.slots.claim(principal.username)
    except Busy as busy:
        return _busy_page(request, busy)
    extra: dict[str, object] = {}
    try:
        if allow_private:
            with write_scope(state.engine) as db:
                audit.append(db, principal.username, "scan.allow_private", "scan", kind, None,
                             {"scanner": kind, "targets": targets, "allow_private": True})
            extra = {"allow_private": True}
    except BaseException:
        slot.release()
        raise
    job = _submit(state, principal, slot, kind, label, subject, scan, None, extra)
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
    """Check the upload (in a worker thread), then scan it in the background; one at a time per user."""
    state = app_state(request)
    policy = state.settings.upload_policy(SUFFIXES[kind])
    try:
        slot = state.slots.claim(principal.username)
    except Busy as busy:
        refused = busy
        return await in_thread(lambda: _busy_page(request, refused))
    folder = Path(tempfile.mkdtemp(prefix="csmguard-scan-"))
    job: Job | None = None
    try:
        path, target = await run_blocking(state.heavy, _prepare_upload, kind, file.file, file.filename, folder,
                                          policy)
        job = _submit(state, principal, slot, kind.value, path.name, path.name,
                      lambda progress: _scan_upload(kind, target, progress), folder)
    except UploadRejected as rejected:
        message = translate(request_lang(request), rejected.key, detail=rejected.detail,
                            limit=state.settings.max_upload_mb)
        return await in_thread(lambda: _page(request, 400, error=message))
    finally:
        if job is None:  # the job owns the folder and the slot once submitted
            shutil.rmtree(folder, ignore_errors=True)
            slot.release()
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
    scan_request = endpoint_scan.EndpointScanRequest(targets=lines, allow_private=allow_private)

    def run(progress: JobProgress) -> ScanResult:
        return endpoint_scan.scan_endpoints(scan_request, rules=endpoint_scan.load_endpoint_rules(),
                                            progress=progress)

    return _start(request, principal, "endpoint", ", ".join(lines)[:200], ",".join(sorted(lines))[:500], run,
                  allow_private, "\n".join(lines)[:2000])


@router.post("/scans/site")
def site_scan_start(request: Request, principal: Scanner, url: Annotated[str, Form(max_length=2000)],
                    allow_private: Annotated[bool, Form()] = False) -> Response:
    """Crawl the official website for social media links and their leave-site prompts, in the background.
    Private and loopback addresses are refused unless an administrator allows them for this scan."""
    url = url.strip()
    if not url.startswith(("http://", "https://")):
        return _page(request, 400, error=translate(request_lang(request), "site_url_bad"))
    _check_private(principal, allow_private)
    options = site_scan.SiteOptions(crawl=CrawlOptions(allow_private=allow_private))

    def run(progress: JobProgress) -> ScanResult:
        return site_scan.scan_site(url, site_scan.load_site_rules(), options, progress)

    return _start(request, principal, "site", url[:200], url[:500], run, allow_private, url)


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
