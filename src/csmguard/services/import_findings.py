"""Use cases of ``csmguard import findings``: read foreign tools' reports, map them to the guideline, record
each as a scan (scanner ``import:<tool>``), and, for an app release, keep the report as the release's evidence
(CSM-17.2 vendor evidence when the firm has no source code; otherwise its pre-release scan)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from csmguard.domain import FindingStatus, ScanResult
from csmguard.domain.errors import InputError
from csmguard.importing.convert import to_scan_result
from csmguard.importing.detect import read_reports
from csmguard.importing.mapping import load_mapping
from csmguard.workspace import Workspace


@dataclass(frozen=True)
class Imported:
    """One recorded (or, without a workspace, only read) import: its result, subject and scan ID."""

    result: ScanResult
    subject: str
    scan_id: str | None = None
    release_note: str | None = None


def read_findings(paths: Sequence[Path], *, tool: str = "auto", mapping_file: Path | None = None,
                  edition: str = "csm-17") -> list[Imported]:
    """Read and map every report in ``paths`` (one result per report; a SARIF log with several runs gives
    several). InputError naming the file when one is not of the named (or of any known) format."""
    out: list[Imported] = []
    for path in paths:
        fmt, reports = read_reports(path, tool)
        for report in reports:
            mapping = load_mapping(report.tool, edition, mapping_file)
            result = to_scan_result(report, mapping, source=str(path), fmt=fmt)
            out.append(Imported(result=result, subject=f"{report.tool}:{report.subject}"))
    return out


def import_findings(ws: Workspace, paths: Sequence[Path], *, tool: str = "auto", mapping_file: Path | None = None,
                    release: str | None = None, subject: str | None = None,
                    today: date | None = None) -> list[Imported]:
    """Read, map and record every report of ``paths`` in ``ws``. With ``release`` (APP_ID@VERSION) the single
    report becomes that release's evidence (see :func:`attach_to_release`)."""
    imported = read_findings(paths, tool=tool, mapping_file=mapping_file, edition=ws.settings.edition)
    if release is not None:
        if len(imported) != 1:
            raise InputError(None, f"--release takes exactly one report; {len(imported)} were read", field="--release")
        return [attach_to_release(ws, imported[0], paths[0], release, today=today)]
    from csmguard.services.records import record_scan

    out: list[Imported] = []
    for index, item in enumerate(imported):
        # One subject for several reports would let each complete import resolve the others' findings.
        named = subject if subject is None or len(imported) == 1 else f"{subject}#{index + 1}"
        chosen = named or item.subject
        out.append(Imported(item.result, chosen, record_scan(ws, item.result, subject=chosen)))
    return out


def _passed(result: ScanResult) -> bool:
    """No failing finding at shall level (the default gate of every scan)."""
    return not any(f.status is FindingStatus.FAIL and (f.level is None or f.level.strength >= 3)
                   for f in result.findings)


def attach_to_release(ws: Workspace, item: Imported, report: Path, release: str, *,
                      today: date | None = None) -> Imported:
    """Record ``item`` as evidence for the app release ``release``. When the apps register says the firm has
    no source code (``source_available`` false), the report itself is kept in the evidence store and added to
    the release's vendor evidence, which CSM-17.2 asks for, and the release's notes name the tool, its version
    and the report's SHA-256. When the source is available the import is the release's pre-release scan
    (CSM-17.1), passed when no shall-level finding fails."""
    from csmguard.services.app_release import parse_release, record_release_scan
    from csmguard.services.records import add_evidence, record_scan
    from csmguard.services.registers import add_record, get_record, update_record

    app_id, version = parse_release(release)
    try:
        app = get_record(ws, "apps", app_id).record
    except InputError as exc:
        raise InputError("apps", f"app {app_id!r} is not in the apps register; add it first", field="app_id") from exc
    info = item.result.stats["import"]
    tool = f"{info['tool']} {info['tool_version']}" if info.get("tool_version") else str(info["tool"])
    if getattr(app, "source_available", True):
        scan_id = record_release_scan(ws, item.result, release, passed=_passed(item.result), today=today)
        return Imported(item.result, f"app-release:{app_id}@{version}", scan_id,
                        f"{tool} report recorded as the pre-release scan of {app_id} {version}")
    subject = f"app-release:{app_id}@{version}"
    scan_id = record_scan(ws, item.result, subject=subject)
    evidence = add_evidence(ws, report, name=f"{app_id}-{version}-{info['tool_key']}-report{report.suffix}")
    note = f"Vendor evidence (CSM-17.2): {tool} report {report.name}, SHA-256 {evidence.sha256}, scan {scan_id}"
    key = f"key:{app_id}/{version}"
    try:
        current = get_record(ws, "app-releases", key).record
    except InputError:
        add_record(ws, "app-releases", {"app_id": app_id, "version": version, "vendor_evidence": [evidence.sha256],
                                        "scanned_on": (today or date.today()).isoformat(), "notes": note})
    else:
        shas = list(dict.fromkeys([*getattr(current, "vendor_evidence", ()), evidence.sha256]))
        notes = "\n".join(n for n in (getattr(current, "notes", None), note) if n)
        update_record(ws, "app-releases", key, {"vendor_evidence": shas, "notes": notes,
                                                "scanned_on": (today or date.today()).isoformat()})
    return Imported(item.result, subject, scan_id, note)
