"""What a job can be: each kind reads its payload, does the work with the workspace (in the child process),
and says what came of it. Adding a kind = one function here and one entry in ``KINDS``.

Payloads are JSON. Files a job needs (an upload, a register file, an uploaded result) lie in the job's own
folder ``<workspace>/jobs/<job id>/`` and are named relative to it, so a worker on another machine that
mounts the workspace finds them; the folder is removed when the job ends.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from csmguard.domain import ScanResult
from csmguard.domain.coverage import ScanState
from csmguard.domain.errors import InputError
from csmguard.scanning.progress import Progress
from csmguard.workspace import Workspace

JOB_SCAN_NAMESPACE = uuid.UUID("6f0c7b1e-5f2d-4a53-9a57-5b8f0c2f5e11")


@dataclass
class JobContext:
    """What a running job gets: the workspace, its id, its folder, who asked, and a progress sink."""

    workspace: Workspace
    job_id: str
    owner: str
    folder: Path
    progress: Progress

    @property
    def scan_id(self) -> str:
        """The id the job's scan is recorded under: derived from the job id, so a retried job replaces the
        scan an earlier attempt recorded instead of adding a second one."""
        return str(uuid.uuid5(JOB_SCAN_NAMESPACE, self.job_id))

    def file(self, name: str) -> Path:
        """A file of the job's folder (never outside it)."""
        path = (self.folder / name).resolve()
        if not path.is_relative_to(self.folder.resolve()):
            raise InputError(name, "a job file must lie in the job's folder")
        return path


@dataclass
class Outcome:
    """What a finished job says: the id of what it saved, a JSON summary, a warning."""

    result_id: str | None = None
    summary: dict[str, Any] = field(default_factory=dict)
    warning: str = ""


class JobFailed(Exception):
    """The job's input was refused: the message, and a JSON summary (e.g. an import's row errors)."""

    def __init__(self, message: str, summary: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.summary = summary or {}


def _record(ctx: JobContext, result: ScanResult, subject: str | None, extra: dict[str, Any]) -> Outcome:
    """Record a scan under the job's scan id with its audit entry (one transaction)."""
    from csmguard.scanning.sniff import nothing_recognised
    from csmguard.services import audit
    from csmguard.services.audit import write_scope
    from csmguard.services.records import record_scan_in

    with write_scope(ctx.workspace.engine()) as db:
        scan_id = record_scan_in(db, result, subject=subject, scan_id=ctx.scan_id)
        audit.append(db, ctx.owner, "scan.record", "scan", scan_id, None,
                     {"scanner": result.scanner, "subject": subject, "state": result.state.value,
                      **result.status_counts(), "errors": len(result.errors), **extra})
    warning = ""
    if result.state is ScanState.FAILED:
        found = dict(result.effective_coverage().found)
        warning = (nothing_recognised(result.scanner, found).en if found
                   else "; ".join(e.describe() for e in result.errors[:3]))
    return Outcome(scan_id, {"findings": len(result.findings), "errors": len(result.errors),
                             "state": result.state.value}, warning)


def _upload_scanners() -> dict[str, Callable[[Path, Progress], ScanResult]]:
    from csmguard.services import app_scan, fleet_scan, iac_scan, messages_scan, policydoc_scan

    return {
        "app": lambda target, progress: app_scan.scan_app([target], progress=progress)[0],
        "iac": lambda target, progress: iac_scan.scan_iac([target], progress=progress)[0],
        "mdm": lambda target, progress: fleet_scan.scan_fleet(fleet_scan.FleetScanOptions(paths=(target,)),
                                                              progress=progress)[0],
        "policydoc": lambda target, progress: policydoc_scan.scan_policydocs(
            [target], policydoc_scan.load_policydoc_rules(), progress=progress),
        "messages": lambda target, progress: messages_scan.scan_messages(
            [target], messages_scan.load_messages_rules(), progress=progress),
    }


UPLOAD_KINDS = ("app", "iac", "mdm", "policydoc", "messages")
"""The upload kinds a scan job knows, each with its own scanner (the web app refuses to start when one of its
upload kinds is not here: a new kind never falls through to another scanner)."""


def scan_upload(ctx: JobContext, payload: dict[str, Any]) -> Outcome:
    """Scan an uploaded artifact (``upload_kind``: one of :data:`UPLOAD_KINDS`) and record it."""
    kind, target, progress = payload["upload_kind"], ctx.file(payload["target"]), ctx.progress
    scanner = _upload_scanners().get(kind)
    if scanner is None:
        raise JobFailed(f"unknown upload kind {kind!r}")
    return _record(ctx, scanner(target, progress), payload["subject"], payload.get("audit", {}))


def scan_endpoint(ctx: JobContext, payload: dict[str, Any]) -> Outcome:
    """Check TLS/SFTP/HTTPS endpoints and record the scan."""
    from csmguard.services import endpoint_scan

    request = endpoint_scan.EndpointScanRequest(targets=tuple(payload["targets"]),
                                                allow_private=bool(payload.get("allow_private")))
    result = endpoint_scan.scan_endpoints(request, rules=endpoint_scan.load_endpoint_rules(), progress=ctx.progress)
    return _record(ctx, result, payload["subject"], payload.get("audit", {}))


def scan_site(ctx: JobContext, payload: dict[str, Any]) -> Outcome:
    """Crawl the official website (static pass) and record the scan."""
    from csmguard.scanners.site.crawl import CrawlOptions
    from csmguard.services import site_scan

    options = site_scan.SiteOptions(crawl=CrawlOptions(allow_private=bool(payload.get("allow_private"))))
    result = site_scan.scan_site(payload["url"], site_scan.load_site_rules(), options, ctx.progress)
    return _record(ctx, result, payload["subject"], payload.get("audit", {}))


def register_import(ctx: JobContext, payload: dict[str, Any]) -> Outcome:
    """Import a register file (every row checked first; one bad row and nothing is written). Records are
    keyed, so a retried import updates what an earlier attempt wrote."""
    from csmguard.registers.io import RegisterImportError
    from csmguard.services import registers

    ctx.progress.start("import", None)
    try:
        report = registers.import_records(ctx.workspace, payload["register"], ctx.file(payload["file"]),
                                          actor=ctx.owner, name=payload.get("name"))
    except RegisterImportError as error:
        raise JobFailed(error.describe(), {"total": error.total,
                                           "lines": [line.describe() for line in error.lines()]}) from error
    ctx.progress.finish()
    return Outcome(None, {"rows": report.rows, "created": report.created, "updated": report.updated})


def scan_result(ctx: JobContext, payload: dict[str, Any]) -> Outcome:
    """Check and record a scan result uploaded through the API (the JSON in the job's folder)."""
    from csmguard.catalog.loader import load_catalog
    from csmguard.services.scan_upload import ScanUpload, to_scan_result

    try:
        upload = ScanUpload.model_validate_json(ctx.file(payload["file"]).read_bytes())
    except ValidationError as exc:
        detail = exc.errors(include_url=False, include_context=False, include_input=False)
        raise JobFailed("the scan result is not valid", {"status": 422, "detail": detail}) from exc
    known = {node.id for node in load_catalog(ctx.workspace.settings.edition).nodes}
    try:
        result = to_scan_result(upload, known)
    except ValueError as exc:
        raise JobFailed(str(exc), {"status": 422, "detail": str(exc)}) from exc
    return _record(ctx, result, payload.get("subject") or None, {"via": "api"})


def register_check(ctx: JobContext, payload: dict[str, Any]) -> Outcome:
    """Run the register checks (REG-) as of today and record them under the job's scan id (a scheduled run)."""
    from csmguard.services.registers import run_register_checks

    ctx.progress.start("register checks", None)
    result = run_register_checks(ctx.workspace, record=False)
    ctx.progress.finish()
    return _record(ctx, result, "registers", payload.get("audit", {}))


def watch_privacy(ctx: JobContext, payload: dict[str, Any]) -> Outcome:
    """Fetch every watched platform's privacy policy and keep a changed version for review (a scheduled run);
    a platform that could not be fetched is the job's warning."""
    from csmguard.services.social import watch_privacy as watch

    ctx.progress.start("privacy policies", None)
    outcomes = watch(ctx.workspace, allow_private=bool(payload.get("allow_private")))
    ctx.progress.finish()
    errors = [o.error or o.platform for o in outcomes if o.state == "error"]
    return Outcome(None, {o.platform: o.state for o in outcomes}, "; ".join(errors))


def notify_run(ctx: JobContext, payload: dict[str, Any]) -> Outcome:
    """Queue and send the notifications that are due (a scheduled run); failed deliveries are the warning."""
    from csmguard.services.notify import run_notifications

    report = run_notifications(ctx.workspace, base_url=str(payload.get("base_url", "")))
    return Outcome(None, report.as_dict(), "; ".join(dict.fromkeys(report.errors)))


KINDS: dict[str, Callable[[JobContext, dict[str, Any]], Outcome]] = {
    "scan.upload": scan_upload,
    "scan.endpoint": scan_endpoint,
    "scan.site": scan_site,
    "register.import": register_import,
    "scan.result": scan_result,
    "register.check": register_check,
    "watch.privacy": watch_privacy,
    "notify.run": notify_run,
}
